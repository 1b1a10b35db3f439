"""The read-only JSON API, `/api/v1/`: search, records, libraries, suggestions, availability and
the OpenAPI document describing them. Every endpoint goes through `api.responses.json_api` (GET
only, CORS headers, errors as `{"error": "..."}`); the JSON shapes live in `api.serializers`."""
