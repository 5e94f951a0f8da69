"""The model → JSON: `paper.model_dump`, the shape `schema/paper.schema.json` describes.

Dates are ISO 8601: a meeting's date has `start` and `end` (the first and last day it
covers) and its `precision` (day, month or year), with the text as written.
"""

from __future__ import annotations

import json

from ranpaper.model import Paper


def to_json(paper: Paper) -> str:
    data = paper.model_dump(mode="json", exclude={"path"})
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def from_json(text: str) -> Paper:
    return Paper.model_validate_json(text)
