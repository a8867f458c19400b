"""Property listings with Redis caching: the caching notes (docs/concepts/caching/) and the
async section of docs/concepts/asynchronous-programming.md.

Modelled on the program's "alx-backend-caching_property_listings" project.
"""
