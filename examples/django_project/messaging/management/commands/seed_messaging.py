"""`python manage.py seed_messaging --count 50`: demo data for the messaging app.

Idempotent: it creates what is missing and nothing else, so running it twice leaves the same
rows as running it once. It never deletes.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from messaging.models import Conversation, Message

SEED_USERS = ("alice", "bob", "carol")
SEED_TITLE = "Seed conversation"


# --8<-- [start:command]
class Command(BaseCommand):
    help = "Create demo users, one conversation and --count messages in it; safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=20, help="messages the demo conversation should hold")

    def handle(self, *args, count: int, **options):
        if count < 0:
            raise CommandError("--count must be zero or more")
        with transaction.atomic():  # all or nothing: a failure leaves no half-seeded database
            users, new_users = [], 0
            for username in SEED_USERS:
                user, created = get_user_model().objects.get_or_create(
                    username=username, defaults={"email": f"{username}@example.com"}
                )
                if created:
                    user.set_unusable_password()  # demo accounts cannot log in
                    user.save(update_fields=["password"])
                    new_users += 1
                users.append(user)
            conversation, new_conversation = Conversation.objects.get_or_create(title=SEED_TITLE)
            conversation.participants.add(*users)  # adding an existing participant is a no-op

            existing = conversation.messages.count()
            missing = range(existing, max(count, existing))
            # bulk_create: one INSERT, and no post_save signals, so no notifications or e-mails.
            Message.objects.bulk_create(
                Message(conversation=conversation, sender=users[i % len(users)], body=f"Seed message {i + 1}")
                for i in missing
            )
        self.stdout.write(
            f"users +{new_users}, conversations +{int(new_conversation)}, messages +{len(missing)}; "
            f"{SEED_TITLE!r} holds {existing + len(missing)} messages"
        )
# --8<-- [end:command]
