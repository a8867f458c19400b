"""The CRM schema: the root Query and Mutation types, served at /graphql/."""

import graphene
from graphene import relay
from graphene_django.filter import DjangoFilterConnectionField
from graphql import GraphQLError

from .models import Customer, Order
from .mutations import BulkCreateCustomers, CreateCustomer, CreateOrder, CreateProduct
from .types import CustomerType, OrderType, ProductType, load_customer_relations, load_order_relations

MAX_LIST = 100  # the most rows a plain list field returns


# --8<-- [start:query]
class Query(graphene.ObjectType):
    hello = graphene.String(required=True)
    customer = graphene.Field(CustomerType, email=graphene.String(required=True))
    orders = graphene.List(
        graphene.NonNull(OrderType), required=True, first=graphene.Int(default_value=20)
    )
    node = relay.Node.Field()  # any object by its global ID
    all_customers = DjangoFilterConnectionField(CustomerType)
    all_products = DjangoFilterConnectionField(ProductType)
    all_orders = DjangoFilterConnectionField(OrderType)

    def resolve_hello(root, info):
        return "Hello, GraphQL!"

    def resolve_customer(root, info, email):
        customers = Customer.objects.filter(email=email.strip().lower())
        return load_customer_relations(customers, info).first()

    def resolve_orders(root, info, first):
        if not 0 < first <= MAX_LIST:
            raise GraphQLError(f"`first` must be between 1 and {MAX_LIST}.")
        return load_order_relations(Order.objects.all(), info)[:first]
# --8<-- [end:query]


# --8<-- [start:mutation]
class Mutation(graphene.ObjectType):
    create_customer = CreateCustomer.Field()
    bulk_create_customers = BulkCreateCustomers.Field()
    create_product = CreateProduct.Field()
    create_order = CreateOrder.Field()


schema = graphene.Schema(query=Query, mutation=Mutation)
# --8<-- [end:mutation]
