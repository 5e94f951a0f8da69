"""The JSON Schema of the JSON output, generated from the model so that the two cannot drift.

`ranpaper schema` prints it; `ranpaper schema --write` updates `schema/paper.schema.json`;
`ranpaper schema --check` fails when the committed file is stale.
"""

from __future__ import annotations

import json
from typing import Any

from ranpaper.render.json import NOT_EXPORTED, SCHEMA_VERSION, paper_adapter

SCHEMA_ID = "urn:ranpaper:schema:paper"


def paper_schema() -> dict[str, Any]:
    schema = paper_adapter().json_schema(mode="serialization")
    for name in NOT_EXPORTED:
        schema["properties"].pop(name, None)
    schema["properties"] = {
        "schema_version": {
            "const": SCHEMA_VERSION,
            "description": "The version of this schema (CHANGELOG.md says what each changed).",
            "type": "integer",
        },
        **schema["properties"],
    }
    schema["required"] = ["schema_version", *schema.get("required", [])]
    schema["$defs"] = _reachable(schema)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **schema,
    }


def _reachable(schema: dict[str, Any]) -> dict[str, Any]:
    """The definitions the schema still refers to, once the fields it does not export are gone."""
    definitions = schema["$defs"]
    found: set[str] = set()

    def visit(value: object) -> None:
        if isinstance(value, dict):
            ref = value.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                name = ref.removeprefix("#/$defs/")
                if name not in found:
                    found.add(name)
                    visit(definitions[name])
            for item in value.values():
                visit(item)
        elif isinstance(value, list):
            for item in value:
                visit(item)

    visit({key: value for key, value in schema.items() if key != "$defs"})
    return {name: definitions[name] for name in sorted(found)}


def schema_text() -> str:
    return json.dumps(paper_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
