"""Password storage: which hasher Django uses, what it stores, and how to move to a stronger one."""

from __future__ import annotations

from django.contrib.auth.hashers import identify_hasher

# --8<-- [start:hashers]
# PASSWORD_HASHERS[0] hashes every new password, and re-hashes an old one at its owner's next
# successful login; the other entries only verify hashes that already exist.
PREFER_SCRYPT = [
    "django.contrib.auth.hashers.ScryptPasswordHasher",  # memory-hard: costly on GPUs as well
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",  # Django's default: existing hashes still verify
]
# --8<-- [end:hashers]


def describe(encoded: str) -> str:
    """A stored hash with its salt and digest replaced by their lengths: the format, not the secret."""
    decoded = identify_hasher(encoded).decode(encoded)
    masks = {decoded["salt"]: f"<salt: {len(decoded['salt'])} chars>",
             decoded["hash"]: f"<hash: {len(decoded['hash'])} chars>"}
    return "$".join(masks.get(part, part) for part in encoded.split("$"))
