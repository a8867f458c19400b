"""Mutations of the CRM schema.

Expected failures (a duplicate email, a bad phone number, an unknown product) come back
in the payload's `errors` list, with the input field they belong to, so a client can
show them next to the form field. Top-level GraphQL `errors` are left for requests the
client should never send (a batch that is too large) and for bugs.
"""

import graphene
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from graphql import GraphQLError
from graphql_relay import from_global_id

from .models import Customer, Order, Product
from .types import CustomerType, OrderType, ProductType

MAX_BATCH = 100  # the most customers one bulkCreateCustomers call may create


# --8<-- [start:errors]
class FieldError(graphene.ObjectType):
    field = graphene.String(required=True, description='Input field name, or "__all__".')
    message = graphene.String(required=True)


class ItemError(graphene.ObjectType):
    index = graphene.Int(required=True, description="Position of the item in the input list.")
    field = graphene.String(required=True)
    message = graphene.String(required=True)


def field_errors(error: ValidationError) -> list[FieldError]:
    return [
        FieldError(field=field, message=message)
        for field, messages in error.message_dict.items()
        for message in messages
    ]
# --8<-- [end:errors]


# --8<-- [start:create_customer]
class CustomerInput(graphene.InputObjectType):
    name = graphene.String(required=True)
    email = graphene.String(required=True)
    phone = graphene.String()


def save_customer(data) -> tuple[Customer | None, list[FieldError]]:
    customer = Customer(name=data.name, email=data.email, phone=data.phone or "")
    try:
        customer.full_clean()  # field validators, clean(), then the unique check on email
        with transaction.atomic():  # a savepoint when called inside another atomic block
            customer.save()
    except ValidationError as error:
        return None, field_errors(error)
    except IntegrityError:
        # Another request saved the same email between full_clean() and save().
        return None, [FieldError(field="email", message="Customer with this Email already exists.")]
    return customer, []


class CreateCustomer(graphene.Mutation):
    class Arguments:
        input = CustomerInput(required=True)

    customer = graphene.Field(CustomerType)
    message = graphene.String()
    errors = graphene.List(graphene.NonNull(FieldError), required=True)

    @classmethod
    def mutate(cls, root, info, input):
        customer, errors = save_customer(input)
        if errors:
            return cls(customer=None, message=None, errors=errors)
        return cls(customer=customer, message=f"Customer {customer.email} created.", errors=[])
# --8<-- [end:create_customer]


# --8<-- [start:bulk_create_customers]
class BulkCreateCustomers(graphene.Mutation):
    class Arguments:
        input = graphene.List(graphene.NonNull(CustomerInput), required=True)

    customers = graphene.List(graphene.NonNull(CustomerType), required=True)
    errors = graphene.List(graphene.NonNull(ItemError), required=True)

    @classmethod
    def mutate(cls, root, info, input):
        if len(input) > MAX_BATCH:
            raise GraphQLError(f"Send at most {MAX_BATCH} customers per call, not {len(input)}.")
        created, errors = [], []
        with transaction.atomic():  # one commit for the whole batch...
            for index, data in enumerate(input):
                customer, item_errors = save_customer(data)  # ...and one savepoint per item
                if customer is not None:
                    created.append(customer)
                errors += [ItemError(index=index, field=e.field, message=e.message) for e in item_errors]
        return cls(customers=created, errors=errors)
# --8<-- [end:bulk_create_customers]


# --8<-- [start:create_product]
class ProductInput(graphene.InputObjectType):
    name = graphene.String(required=True)
    price = graphene.Decimal(required=True, description='Send it as a string: "19.99".')
    stock = graphene.Int(default_value=0)


class CreateProduct(graphene.Mutation):
    class Arguments:
        input = ProductInput(required=True)

    product = graphene.Field(ProductType)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)

    @classmethod
    def mutate(cls, root, info, input):
        product = Product(name=input.name, price=input.price, stock=input.stock)
        try:
            product.full_clean()
        except ValidationError as error:
            return cls(product=None, errors=field_errors(error))
        product.save()
        return cls(product=product, errors=[])
# --8<-- [end:create_product]


# --8<-- [start:create_order]
class OrderInput(graphene.InputObjectType):
    customer_id = graphene.ID(required=True)
    product_ids = graphene.List(graphene.NonNull(graphene.ID), required=True)
    order_date = graphene.DateTime(description="Defaults to now.")


def primary_key(global_id: str, type_name: str) -> int | None:
    """The database ID inside a Relay global ID, if it names an object of `type_name`."""
    kind, pk = from_global_id(global_id)
    return int(pk) if kind == type_name and pk.isdigit() else None


class CreateOrder(graphene.Mutation):
    class Arguments:
        input = OrderInput(required=True)

    order = graphene.Field(OrderType)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)

    @classmethod
    def mutate(cls, root, info, input):
        errors = []
        customer_pk = primary_key(input.customer_id, "Customer")
        customer = Customer.objects.filter(pk=customer_pk).first() if customer_pk else None
        if customer is None:
            errors.append(FieldError(field="customerId", message=f"No customer has the ID {input.customer_id}."))
        if not input.product_ids:
            errors.append(FieldError(field="productIds", message="Choose at least one product."))
        # A dict keeps each ID once, as the order keeps each product once.
        wanted = {global_id: primary_key(global_id, "Product") for global_id in input.product_ids}
        products = Product.objects.in_bulk([pk for pk in wanted.values() if pk is not None])
        for global_id, pk in wanted.items():
            if pk not in products:
                errors.append(FieldError(field="productIds", message=f"No product has the ID {global_id}."))
        if errors:
            return cls(order=None, errors=errors)

        # The total comes from the prices in the database, never from the client.
        order = Order.place(customer, products.values(), order_date=input.order_date)
        return cls(order=order, errors=[])
# --8<-- [end:create_order]
