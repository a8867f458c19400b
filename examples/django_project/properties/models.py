"""The one model of the caching notes: a property listing."""

from django.db import models


# --8<-- [start:model]
class Property(models.Model):
    title = models.CharField(max_length=200)
    description = models.TextField()
    price = models.DecimalField(max_digits=10, decimal_places=2)
    location = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)
    # Not in the program's model: HTTP's Last-Modified needs the time of the last change,
    # which created_at is not (see docs/concepts/caching/http-caching.md).
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "properties"

    def __str__(self) -> str:
        return f"{self.title} ({self.location})"
# --8<-- [end:model]
