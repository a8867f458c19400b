"""Which fields did the query ask for? Read from the query itself, so a resolver can load
related rows only when the client selected them."""

from graphql import FieldNode, FragmentSpreadNode, GraphQLResolveInfo


# --8<-- [start:selected_fields]
def selected_fields(info: GraphQLResolveInfo, *path: str) -> set[str]:
    """Names of the fields selected under the field being resolved, after walking `path`.

    `selected_fields(info)` on `orders { id customer { name } }` gives {"id", "customer"};
    `selected_fields(info, "edges", "node")` looks inside a Relay connection's items.
    Fragments are expanded; aliases do not matter (the field's own name is used).
    """
    nodes = list(info.field_nodes)
    for name in path:
        nodes = [child for child in _children(nodes, info) if child.name.value == name]
    return {child.name.value for child in _children(nodes, info)}


def _children(nodes, info):
    # Every name in a path is an object field, and GraphQL's validation guarantees that
    # a selection of an object field has a selection set.
    for node in nodes:
        yield from _fields(node.selection_set.selections, info)


def _fields(selections, info):
    for selection in selections:
        if isinstance(selection, FieldNode):
            yield selection
        elif isinstance(selection, FragmentSpreadNode):
            yield from _fields(info.fragments[selection.name.value].selection_set.selections, info)
        else:  # an inline fragment: `... on OrderType { total }`
            yield from _fields(selection.selection_set.selections, info)
# --8<-- [end:selected_fields]
