"""Models of the API design note: books and authors (representations), transfers (methods and
idempotency) and the stored responses that make a retried POST safe."""

from django.db import models


class Author(models.Model):
    name = models.CharField(max_length=100)
    bio = models.TextField()

    def __str__(self) -> str:
        return self.name


class Book(models.Model):
    title = models.CharField(max_length=200)
    summary = models.TextField()
    published = models.DateField()
    pages = models.PositiveIntegerField()
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="books")

    def __str__(self) -> str:
        return self.title


class Transfer(models.Model):
    """Money sent to someone: the classic case where a retried POST must not run twice."""

    amount = models.PositiveIntegerField(help_text="in the currency's minor unit (cents)")
    currency = models.CharField(max_length=3)
    recipient = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.amount} {self.currency} to {self.recipient}"


# --8<-- [start:model]
class IdempotencyRecord(models.Model):
    """The first response to a request that carried an Idempotency-Key, replayed to retries."""

    key = models.CharField(max_length=255, unique=True)  # unique: two inserts of one key cannot both win
    fingerprint = models.CharField(max_length=64)  # SHA-256 of method, path and body
    status_code = models.PositiveSmallIntegerField(null=True)  # null while the first request runs
    content = models.BinaryField(default=b"")
    content_type = models.CharField(max_length=100, blank=True)
    location = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)  # for purging old keys
# --8<-- [end:model]
