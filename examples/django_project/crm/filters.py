"""FilterSets behind the `allCustomers`, `allProducts` and `allOrders` connections.

graphene-django turns every declared filter into an argument of the connection field,
with a GraphQL type taken from the filter's form field (camelCased: `created_after`
becomes `createdAfter`).
"""

import django_filters

from .models import LOW_STOCK_BELOW, Customer, Order, Product


# --8<-- [start:customer_filter]
class CustomerFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains")
    email = django_filters.CharFilter(lookup_expr="iexact")
    created_after = django_filters.DateFilter(field_name="created_at", lookup_expr="date__gte")
    created_before = django_filters.DateFilter(field_name="created_at", lookup_expr="date__lte")
    phone_prefix = django_filters.CharFilter(field_name="phone", lookup_expr="startswith")
    order_by = django_filters.OrderingFilter(fields=("name", "email", "created_at"))

    class Meta:
        model = Customer
        fields: list[str] = []  # only the filters declared above
# --8<-- [end:customer_filter]


# --8<-- [start:product_filter]
class ProductFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains")
    price_min = django_filters.NumberFilter(field_name="price", lookup_expr="gte")
    price_max = django_filters.NumberFilter(field_name="price", lookup_expr="lte")
    low_stock = django_filters.BooleanFilter(method="filter_low_stock")
    order_by = django_filters.OrderingFilter(fields=("name", "price", "stock"))

    class Meta:
        model = Product
        fields: list[str] = []

    def filter_low_stock(self, queryset, name, value):
        if value:
            return queryset.filter(stock__lt=LOW_STOCK_BELOW)
        return queryset.filter(stock__gte=LOW_STOCK_BELOW)
# --8<-- [end:product_filter]


# --8<-- [start:order_filter]
class OrderFilter(django_filters.FilterSet):
    customer_name = django_filters.CharFilter(field_name="customer__name", lookup_expr="icontains")
    # Across a many-to-many join an order matches once per matching product:
    # distinct=True keeps each order once.
    product_name = django_filters.CharFilter(field_name="products__name", lookup_expr="icontains", distinct=True)
    total_min = django_filters.NumberFilter(field_name="total_amount", lookup_expr="gte")
    total_max = django_filters.NumberFilter(field_name="total_amount", lookup_expr="lte")
    order_by = django_filters.OrderingFilter(fields=("order_date", "total_amount"))

    class Meta:
        model = Order
        fields: list[str] = []
# --8<-- [end:order_filter]
