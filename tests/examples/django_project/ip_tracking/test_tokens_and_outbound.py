"""A JWT's payload is readable by anyone (ip_tracking/tokens.py), and a URL a client supplies is
checked before the server fetches it (ip_tracking/outbound.py). No network: the resolver is fake."""

from __future__ import annotations

import socket

import pytest
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.tokens import AccessToken

from ip_tracking.outbound import UnsafeURL, check_outbound_url
from ip_tracking.tokens import unverified_claims


@pytest.mark.django_db
def test_anyone_can_read_a_jwt_payload_without_the_key(django_user_model):
    token = str(AccessToken.for_user(django_user_model.objects.create_user("alice")))
    claims = unverified_claims(token)
    assert claims["token_type"] == "access" and claims["user_id"] == "1"
    assert claims["exp"] - claims["iat"] == 5 * 60  # ACCESS_TOKEN_LIFETIME: five minutes


@pytest.mark.django_db
def test_but_nobody_can_change_it_without_the_key(django_user_model):
    token = str(AccessToken.for_user(django_user_model.objects.create_user("alice")))
    header, payload, signature = token.split(".")
    forged = ".".join([header, payload, signature[::-1]])
    with pytest.raises(TokenError):
        AccessToken(forged)  # the signature no longer matches the header and payload


def resolver(*addresses):
    """A stand-in for socket.getaddrinfo that answers with fixed addresses."""
    def resolve(host, port, proto=0):
        return [(socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, proto, "", (a, port))
                for a in addresses]
    return resolve


def test_a_public_https_url_is_allowed():
    assert check_outbound_url("https://hooks.example.com/x", resolve=resolver("8.8.8.8")) == "https://hooks.example.com/x"


@pytest.mark.parametrize(("url", "addresses", "reason"), [
    ("http://hooks.example.com/", ["8.8.8.8"], "only https://"),
    ("https://hooks.example.com:8443/", ["8.8.8.8"], "no port other than 443"),
    ("https://user:pass@hooks.example.com/", ["8.8.8.8"], "no credentials"),
    ("https://localhost/", ["127.0.0.1"], "resolves to 127.0.0.1"),
    ("https://metadata.internal/", ["169.254.169.254"], "resolves to 169.254.169.254"),
    ("https://intranet.example.com/", ["8.8.8.8", "10.0.0.5"], "resolves to 10.0.0.5"),
    ("https://v6.example.com/", ["::1"], "resolves to ::1"),
    ("https://scoped.example.com/", ["fe80::1%eth0"], "resolves to fe80::1"),
])
def test_private_addresses_and_odd_urls_are_refused(url, addresses, reason):
    with pytest.raises(UnsafeURL, match=reason):
        check_outbound_url(url, resolve=resolver(*addresses))
