"""A query cost limit for the CRM GraphQL schema, next to its depth limit.

The depth limit (crm/views.py) bounds how deep a query nests, not how wide it is: ten aliases
of the same legal query are ten times the work at the same depth. The cost here is an upper
bound on the number of objects a query can load, computed from the query text alone, before
anything runs: a paginated field counts `first` (or `last`) objects for each of its parents,
a plain list counts LIST_GUESS per parent, and everything else passes its parents' count on.
"""

from __future__ import annotations

from django.conf import settings
from django.views.decorators.csrf import csrf_exempt
from graphene.validation import depth_limit_validator
from graphene_django.views import GraphQLView
from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLObjectType,
    IntValueNode,
    OperationDefinitionNode,
    TypeInfo,
    ValidationContext,
    ValidationRule,
    get_named_type,
    get_nullable_type,
    is_leaf_type,
    is_list_type,
    parse,
    specified_rules,
)

from crm.schema import schema
from crm.views import MAX_QUERY_DEPTH

LIST_GUESS = 10  # a customer's orders, an order's products: unbounded lists, assumed this long
MAX_PAGE = settings.GRAPHENE["RELAY_CONNECTION_MAX_LIMIT"]  # `first: $n` is assumed to be the largest page
MAX_COST = 5_000  # the largest query of the CRM screens costs 2,220 (see the tests)


# --8<-- [start:cost]
def selection_cost(selections, parent: GraphQLObjectType, objects: int, context) -> int:
    """The objects the fields in `selections` can load, when `objects` parents are resolved."""
    cost = 0
    for selection in selections:
        if isinstance(selection, FragmentSpreadNode):
            fragment = context.get_fragment(selection.name.value)
            if fragment is not None:
                cost += selection_cost(fragment.selection_set.selections, parent, objects, context)
            continue
        if not isinstance(selection, FieldNode):  # an inline fragment: `... on Customer { }`
            condition = selection.type_condition
            target = context.schema.get_type(condition.name.value) if condition else parent
            cost += selection_cost(selection.selection_set.selections, target, objects, context)
            continue
        field = parent.fields.get(selection.name.value)
        if field is None or is_leaf_type(get_named_type(field.type)):
            continue  # scalars and enums are free; unknown fields are other rules' errors
        many = per_parent(selection, field, parent)
        loaded = objects if many is None else objects * many
        if many is not None:  # a list or a page: this field loads `loaded` objects
            cost += loaded
        cost += selection_cost(selection.selection_set.selections, get_named_type(field.type), loaded, context)
    return cost


def per_parent(node: FieldNode, field: GraphQLField, parent: GraphQLObjectType) -> int | None:
    """How many objects this field returns for one parent object; None for a single object."""
    if "first" in field.args or "last" in field.args:  # a paginated field
        given = [argument.value for argument in node.arguments if argument.name.value in ("first", "last")]
        if given:  # a number, or a variable whose value validation cannot see: assume the largest page
            return int(given[0].value) if isinstance(given[0], IntValueNode) else MAX_PAGE
        default = field.args["first"].default_value if "first" in field.args else None
        return default if isinstance(default, int) else MAX_PAGE  # `orders` defaults to 20
    if node.name.value == "edges" and parent.name.endswith("Connection"):
        return None  # a page's edges: already counted by the connection field's `first`
    return LIST_GUESS if is_list_type(get_nullable_type(field.type)) else None
# --8<-- [end:cost]


def operation_cost(operation: OperationDefinitionNode, context: ValidationContext) -> int:
    root = context.schema.get_root_type(operation.operation)
    return selection_cost(operation.selection_set.selections, root, 1, context)


def query_cost(query: str) -> int:
    """The cost of the one operation in `query` against the CRM schema (for tests and tools)."""
    document = parse(query)
    context = ValidationContext(schema.graphql_schema, document, TypeInfo(schema.graphql_schema), lambda error: None)
    [operation] = [node for node in document.definitions if isinstance(node, OperationDefinitionNode)]
    return operation_cost(operation, context)


# --8<-- [start:rule]
def cost_limit_validator(max_cost: int):
    """A validation rule class that rejects any operation whose cost is above `max_cost`."""

    class CostLimitRule(ValidationRule):
        def enter_operation_definition(self, node: OperationDefinitionNode, *_):
            cost = operation_cost(node, self.context)
            if cost > max_cost:
                self.report_error(GraphQLError(
                    f"Query cost {cost:,} exceeds the limit of {max_cost:,} objects; ask for smaller pages.", node
                ))

    return CostLimitRule


limited_graphql_view = csrf_exempt(
    GraphQLView.as_view(
        schema=schema,  # the CRM schema, unchanged
        graphiql=False,
        validation_rules=(
            *specified_rules,
            depth_limit_validator(max_depth=MAX_QUERY_DEPTH),  # as crm/views.py: at most 5 deep
            cost_limit_validator(MAX_COST),  # and at most 5,000 objects
        ),
    )
)
# --8<-- [end:rule]
