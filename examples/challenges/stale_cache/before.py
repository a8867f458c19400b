"""The two "before" versions of the cached property listing (docs/challenges/stale-data-after-caching.md).

Both cache the listing with the properties app's get_all_properties() (cache-aside, one hour).
They differ only in when a write forgets it:

- the program's project deletes the key at once, in the post_save receiver, inside the
  writer's transaction (invalidate_at_once() below);
- the properties app deletes it after the commit, with transaction.on_commit()
  (properties/signals.py, imported here, not copied).
"""

from __future__ import annotations

from properties.models import Property
from properties.signals import invalidate_property_cache as invalidate_on_commit
from properties.utils import forget_all_properties, get_all_properties

__all__ = ["get_all_properties", "invalidate_at_once", "invalidate_on_commit"]


# --8<-- [start:at_once]
def invalidate_at_once(sender, instance: Property, **kwargs) -> None:
    """The program's receiver for post_save and post_delete: forget the listing now."""
    forget_all_properties()  # runs before the writer's COMMIT
# --8<-- [end:at_once]
