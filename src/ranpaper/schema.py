"""The JSON Schema of the JSON output, generated from the model so that the two cannot drift.

`ranpaper schema` prints it; `ranpaper schema --write` updates `schema/paper.schema.json`;
`ranpaper schema --check` fails when the committed file is stale.
"""

from __future__ import annotations

import json
from typing import Any

from ranpaper.model import Paper

SCHEMA_ID = "urn:ranpaper:schema:paper"


def paper_schema() -> dict[str, Any]:
    schema = Paper.model_json_schema(mode="serialization")
    schema["properties"].pop("path", None)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **schema,
    }


def schema_text() -> str:
    return json.dumps(paper_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
