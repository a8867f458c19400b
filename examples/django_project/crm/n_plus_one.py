"""The N+1 problem in resolvers, kept out of the real schema so it can be measured.

`naive_schema` uses the real types with a root resolver that loads nothing ahead;
`trap_schema` shows how overriding `get_queryset` on a type silently undoes
`select_related()` for foreign keys that point at it (graphene-django 3.2.3).
"""

import graphene
from graphene_django import DjangoObjectType
from graphene_django.registry import Registry

from .models import Customer, Order
from .types import OrderType


# --8<-- [start:naive]
class NaiveQuery(graphene.ObjectType):
    orders = graphene.List(graphene.NonNull(OrderType), required=True, first=graphene.Int(default_value=20))

    def resolve_orders(root, info, first):
        # One query for the orders; then, per order, one for its customer
        # (order.customer) and one for its products (order.products.all()).
        return Order.objects.all()[:first]


naive_schema = graphene.Schema(query=NaiveQuery)
# --8<-- [end:naive]


# --8<-- [start:trap]
trap_registry = Registry()  # separate types for the same models, outside the real schema


class TrapCustomerType(DjangoObjectType):
    class Meta:
        model = Customer
        fields = ("id", "name")
        registry = trap_registry

    @classmethod
    def get_queryset(cls, queryset, info):
        return queryset  # any override, even this one, changes how foreign keys resolve


class TrapOrderType(DjangoObjectType):
    class Meta:
        model = Order
        fields = ("id", "customer")  # no resolve_customer with @bypass_get_queryset
        registry = trap_registry


class TrapQuery(graphene.ObjectType):
    orders = graphene.List(graphene.NonNull(TrapOrderType), required=True)

    def resolve_orders(root, info):
        return Order.objects.select_related("customer")  # joined, and then ignored


trap_schema = graphene.Schema(query=TrapQuery)
# --8<-- [end:trap]
