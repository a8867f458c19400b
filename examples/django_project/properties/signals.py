"""Cache invalidation: every committed write to a Property forgets the cached listing."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from properties.models import Property
from properties.utils import bump_listing_version, forget_all_properties


# --8<-- [start:invalidate]
@receiver(post_save, sender=Property, dispatch_uid="properties.invalidate_on_save")
@receiver(post_delete, sender=Property, dispatch_uid="properties.invalidate_on_delete")
def invalidate_property_cache(sender, instance: Property, **kwargs) -> None:
    # After the commit, not now: a request that read the table before the commit would
    # otherwise put the old rows straight back. robust=True: if Redis is down, log it
    # instead of failing a request whose data is already saved.
    transaction.on_commit(invalidate_listing, robust=True)


def invalidate_listing() -> None:
    forget_all_properties()  # the one key we know: delete it
    bump_listing_version()  # keys we cannot list (template fragments): rename them all at once
# --8<-- [end:invalidate]
