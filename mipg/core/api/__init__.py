"""The REST API (/api/v1/): shared pieces used by the API modules of every app —
authentication by personal tokens, permissions, pagination, throttling, errors as JSON,
the OpenAPI schema customisation — and the endpoints of the MIPG reference data."""
