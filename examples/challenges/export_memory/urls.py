"""A URLconf of this case study's own (tests set ROOT_URLCONF to it), so the project's URLs stay
untouched: the bookings export before and after the fix, side by side, and the admin, whose login
page is where `staff_member_required` sends everyone else."""

from django.contrib import admin
from django.urls import path

from challenges.export_memory import after, before

urlpatterns = [
    path("before/bookings.csv", before.export_bookings, name="export-before"),
    path("after/bookings.csv", after.export_bookings, name="export-after"),
    path("admin/", admin.site.urls),
]
