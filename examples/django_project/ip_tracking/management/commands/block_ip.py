"""`python manage.py block_ip 203.0.113.7 --reason "credential stuffing"`, or `--unblock`."""

from __future__ import annotations

import ipaddress

from django.core.management.base import BaseCommand, CommandError

from ip_tracking.models import BlockedIP


# --8<-- [start:command]
class Command(BaseCommand):
    help = "Block an IP address (its requests get 403), or unblock it with --unblock."

    def add_arguments(self, parser):
        parser.add_argument("ip_address")
        parser.add_argument("--reason", default="", help="why, for the next person who reads the list")
        parser.add_argument("--unblock", action="store_true", help="remove the address from the blocklist")

    def handle(self, *args, ip_address: str, reason: str, unblock: bool, **options):
        try:
            ip = str(ipaddress.ip_address(ip_address))  # validated and normalised: ::1, not 0:0::1
        except ValueError as error:
            raise CommandError(f"{ip_address!r} is not an IPv4 or IPv6 address") from error
        if unblock:
            deleted, _ = BlockedIP.objects.filter(ip_address=ip).delete()
            self.stdout.write(f"unblocked {ip}" if deleted else f"{ip} was not blocked")
            return
        _, created = BlockedIP.objects.get_or_create(ip_address=ip, defaults={"reason": reason})
        self.stdout.write(f"blocked {ip}" if created else f"{ip} was already blocked")
# --8<-- [end:command]
