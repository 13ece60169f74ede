"""OpenAPI details drf-spectacular cannot infer: the token scheme and the error answers."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension

ERROR_STATUSES = {
    "400": "Bad input; `detail` or the field names say what (German by default).",
    "401": "No or an invalid token.",
    "403": "The user's role may not do this.",
    "404": "Unknown, or not reachable for this user (a foreign id looks like a missing one).",
}
ERROR_SCHEMA = {
    "type": "object",
    "description": "`detail` for general errors, field names for bad fields.",
    "additionalProperties": True,
}


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <secret>` (or `Bearer <secret>`); tokens are made by staff.",
        }


def add_error_responses(result, generator, request, public):
    """Every operation may answer these; schema validators (schemathesis) expect them listed."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            responses = operation.setdefault("responses", {})
            for code, description in ERROR_STATUSES.items():
                responses.setdefault(
                    code,
                    {
                        "description": description,
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                        },
                    },
                )
    return result
