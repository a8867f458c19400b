"""The /graphql/ endpoint: one view, the CRM schema, and a limit on query depth."""

from django.views.decorators.csrf import csrf_exempt
from graphene.validation import depth_limit_validator
from graphene_django.views import GraphQLView
from graphql import specified_rules

from .schema import schema

# --8<-- [start:view]
MAX_QUERY_DEPTH = 5  # allCustomers > edges > node > orders > products > name is 5 deep

graphql_view = csrf_exempt(  # clients send JSON with no CSRF token; see the note on CSRF
    GraphQLView.as_view(
        schema=schema,
        # GraphiQL off: graphene-django's GraphiQL page loads its JavaScript from a CDN.
        graphiql=False,
        # Checked before anything runs: a deeper query gets HTTP 400 and no data.
        # These rules replace graphql-core's standard ones, so list those too.
        validation_rules=(*specified_rules, depth_limit_validator(max_depth=MAX_QUERY_DEPTH)),
    )
)
# --8<-- [end:view]
