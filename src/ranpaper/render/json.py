"""The model ↔ JSON, through pydantic: the shape `schema/paper.schema.json` describes.

The model's nodes are frozen dataclasses; pydantic reads their type hints here, on first use,
to validate, serialise and describe them. That keeps pydantic out of `ranpaper check`,
which only parses and reads the model.

Dates are ISO 8601: a meeting's date has `start` and `end` (the first and last day it
covers) and its `precision` (day, month or year), with the text as written.

Every document carries `schema_version` (`SCHEMA_VERSION`); CHANGELOG.md says what each
version changed.
"""

from __future__ import annotations

import json
from functools import cache
from typing import TYPE_CHECKING, Any

from ranpaper.model import PARSER_NOTES, Paper

if TYPE_CHECKING:
    from pydantic import TypeAdapter

# Not part of the paper's data: where it was read from, what the parser noted beside it, and
# the vocabulary (profile) it was read with: the JSON knows sections by id.
NOT_EXPORTED = frozenset({"path", "profile", *PARSER_NOTES})

SCHEMA_VERSION = 3
"""The JSON's version: 3 gives a meeting's `title` as inline nodes, as a topic's (2 knew sections
by id and named the front matter's `profile`; CHANGELOG.md)."""


@cache
def paper_adapter() -> TypeAdapter[Paper]:
    from pydantic import TypeAdapter

    return TypeAdapter(Paper)


def to_data(paper: Paper) -> dict[str, Any]:
    """The paper as JSON-ready data, its schema version first."""
    data = paper_adapter().dump_python(paper, mode="json", exclude=set(NOT_EXPORTED))
    return {"schema_version": SCHEMA_VERSION, **data}


def to_json(paper: Paper) -> str:
    return json.dumps(to_data(paper), indent=2, ensure_ascii=False) + "\n"


def validate(data: object) -> Paper:
    """A paper from JSON-like data, validated: `pydantic.ValidationError` says what is wrong
    (a `schema_version` other than this one's is refused: `ValueError`)."""
    if isinstance(data, dict) and "schema_version" in data:
        data = dict(data)
        version = data.pop("schema_version")
        if version != SCHEMA_VERSION:
            raise ValueError(
                f"schema_version {version!r}: this ranpaper reads version {SCHEMA_VERSION} "
                "(CHANGELOG.md says what changed)"
            )
    return paper_adapter().validate_python(data)


def from_json(text: str) -> Paper:
    return validate(json.loads(text))
