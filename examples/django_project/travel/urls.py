"""/travel/...: the payment flow of docs/technologies/payments.md."""

from django.urls import path

from travel import views

app_name = "travel"

# --8<-- [start:urls]
urlpatterns = [
    path("bookings/<int:booking_id>/pay/", views.initiate_payment, name="payment-initiate"),
    path("payments/<str:tx_ref>/verify/", views.verify_payment, name="payment-verify"),
    path("payments/webhook/", views.chapa_webhook, name="chapa-webhook"),
]
# --8<-- [end:urls]
