"""Where ranpaper's own files are: templates, stylesheets and fonts (no heavy imports here,
so that `check` and a no-change `build` never pay for Jinja2 or WeasyPrint)."""

from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent / "templates"
FONTS = TEMPLATES / "fonts"
