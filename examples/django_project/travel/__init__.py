"""The travel app of the background jobs, scheduling and payments notes (ALX's alx_travel_app)."""
