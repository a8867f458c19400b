"""GraphQL object types for the CRM models.

Each type implements Relay's `Node` interface (global IDs such as "Q3VzdG9tZXI6MQ==", base64 of "Customer:1"
and a connection type for paginated lists) and names its FilterSet, which
`DjangoFilterConnectionField` turns into arguments.
"""

import graphene
from graphene import relay
from graphene_django import DjangoObjectType
from graphene_django.utils import bypass_get_queryset

from .filters import CustomerFilter, OrderFilter, ProductFilter
from .models import Customer, Order, Product
from .selection import selected_fields


# --8<-- [start:product_type]
class ProductType(DjangoObjectType):
    class Meta:
        model = Product
        name = "Product"  # the GraphQL type name (and the prefix of global IDs)
        fields = ("id", "name", "price", "stock")
        interfaces = (relay.Node,)
        filterset_class = ProductFilter
# --8<-- [end:product_type]


# --8<-- [start:order_type]
def load_order_relations(queryset, info, *path: str):
    """Join the customer and prefetch the products, but only if the query selects them."""
    wanted = selected_fields(info, *path)
    if "customer" in wanted:
        queryset = queryset.select_related("customer")
    if "products" in wanted:
        queryset = queryset.prefetch_related("products")
    return queryset


class OrderType(DjangoObjectType):
    # A plain list, not a connection: an order has a handful of products, and a plain
    # list reads the rows prefetch_related() already loaded.
    products = graphene.List(graphene.NonNull(ProductType), required=True)

    class Meta:
        model = Order
        name = "Order"  # the GraphQL type name (and the prefix of global IDs)
        fields = ("id", "customer", "products", "total_amount", "order_date")
        interfaces = (relay.Node,)
        filterset_class = OrderFilter

    @classmethod
    def get_queryset(cls, queryset, info):
        # Called by the allOrders connection; its items sit under edges { node { ... } }.
        return load_order_relations(queryset, info, "edges", "node")

    @staticmethod
    @bypass_get_queryset
    def resolve_customer(order, info):
        # Without bypass_get_queryset, graphene-django would fetch the customer through
        # CustomerType.get_queryset (it is overridden below): one query per order,
        # whatever select_related() loaded.
        return order.customer

    @staticmethod
    def resolve_products(order, info):
        return order.products.all()
# --8<-- [end:order_type]


# --8<-- [start:customer_type]
def load_customer_relations(queryset, info, *path: str):
    """Prefetch the orders (and their products) only if the query selects them."""
    if "orders" not in selected_fields(info, *path):
        return queryset
    if "products" in selected_fields(info, *path, "orders"):
        return queryset.prefetch_related("orders__products")
    return queryset.prefetch_related("orders")


class CustomerType(DjangoObjectType):
    orders = graphene.List(graphene.NonNull(OrderType), required=True)

    class Meta:
        model = Customer
        name = "Customer"  # the GraphQL type name (and the prefix of global IDs)
        fields = ("id", "name", "email", "phone", "created_at", "orders")
        interfaces = (relay.Node,)
        filterset_class = CustomerFilter

    @classmethod
    def get_queryset(cls, queryset, info):
        return load_customer_relations(queryset, info, "edges", "node")

    @staticmethod
    def resolve_orders(customer, info):
        return customer.orders.all()
# --8<-- [end:customer_type]
