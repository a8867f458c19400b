"""A small, fixed data set: the tests load it, and so can you in `manage.py shell`
(`from crm.seed import seed; seed()`) before trying the queries of the notes."""

from datetime import UTC, datetime
from decimal import Decimal

from .models import Customer, Order, Product

# --8<-- [start:data]
CUSTOMERS = [  # name, email, phone, created (UTC)
    ("Ada Lovelace", "ada@example.com", "+447700900123", datetime(2025, 1, 10, 9, 0, tzinfo=UTC)),
    ("Alan Turing", "alan@example.com", "123-456-7890", datetime(2025, 2, 15, 14, 30, tzinfo=UTC)),
    ("Grace Hopper", "grace@example.com", "", datetime(2025, 3, 20, 8, 15, tzinfo=UTC)),
]
PRODUCTS = [  # name, price, stock
    ("Laptop", "999.00", 3),
    ("Mouse", "19.99", 120),
    ("Keyboard", "49.50", 8),
    ("Monitor", "189.00", 15),
    ("USB cable", "5.00", 0),
]
ORDERS = [  # customer email, product names, order date (UTC)
    ("ada@example.com", ["Laptop", "Mouse"], datetime(2025, 4, 1, 10, 0, tzinfo=UTC)),
    ("alan@example.com", ["Keyboard", "Mouse", "USB cable"], datetime(2025, 4, 2, 11, 0, tzinfo=UTC)),
    ("grace@example.com", ["Monitor"], datetime(2025, 4, 3, 12, 0, tzinfo=UTC)),
]
# --8<-- [end:data]


def seed() -> None:
    customers = {
        email: Customer.objects.create(name=name, email=email, phone=phone, created_at=created)
        for name, email, phone, created in CUSTOMERS
    }
    products = {
        name: Product.objects.create(name=name, price=Decimal(price), stock=stock)
        for name, price, stock in PRODUCTS
    }
    for email, names, ordered_at in ORDERS:
        Order.place(customers[email], [products[name] for name in names], order_date=ordered_at)
