"""The CRM app of the GraphQL notes: customers, products and their orders.

Validation lives on the model (field validators, `clean()`), so that every way in (a
GraphQL mutation, the admin, a shell session calling `full_clean()`) applies the same rules;
the database constraints are the backstop for code that skips `full_clean()`.
"""

from decimal import Decimal

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models, transaction
from django.utils import timezone

# --8<-- [start:models]
PHONE_FORMAT = RegexValidator(
    regex=r"^(\+\d{7,15}|\d{3}-\d{3}-\d{4})$",
    message="Enter a phone number like +1234567890 or 123-456-7890.",
)
LOW_STOCK_BELOW = 10  # the `lowStock` filter: fewer than this many items left


class Customer(models.Model):
    name = models.CharField(max_length=100)
    email = models.EmailField(unique=True)
    phone = models.CharField(max_length=20, blank=True, validators=[PHONE_FORMAT])
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]

    def clean(self):
        # Runs before the unique check in full_clean(), so "Ada@Example.com" and
        # "ada@example.com" count as the same address.
        self.email = self.email.strip().lower()


class Product(models.Model):
    name = models.CharField(max_length=100)
    price = models.DecimalField(
        max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    stock = models.IntegerField(default=0, validators=[MinValueValidator(0)])

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(price__gt=0), name="crm_product_price_positive"),
            models.CheckConstraint(condition=models.Q(stock__gte=0), name="crm_product_stock_not_negative"),
        ]


class Order(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="orders")
    products = models.ManyToManyField(Product, related_name="orders")
    # Stored, not computed on read: the total is what the customer was charged,
    # even if a product's price changes later.
    total_amount = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0"))
    order_date = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-order_date", "-id"]

    @classmethod
    def place(cls, customer, products, order_date=None):
        """Create an order of `products`, its total the sum of their current prices."""
        products = set(products)  # an order holds each product once (no quantities)
        with transaction.atomic():  # the order and its product links, or neither
            order = cls.objects.create(
                customer=customer,
                total_amount=sum((product.price for product in products), Decimal("0")),
                order_date=order_date or timezone.now(),
            )
            order.products.set(products)
        return order
# --8<-- [end:models]
