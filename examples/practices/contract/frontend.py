"""A stand-in for the frontend: the code a web or mobile client would run against the API.

It knows only the contract: URLs it is given, the page shape (`next`, `results`) and the
error shape (`status`, `code`, `message`, `errors`). The tests run it against the mock server
and against the real API, and require the same result from both.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status, self.code, self.message = status, code, message


# --8<-- [start:client]
class InboxClient:
    def __init__(self, base_url: str, token: str | None = None) -> None:
        self.base_url, self.token = base_url, token

    def get(self, url: str) -> dict:
        request = urllib.request.Request(url if "://" in url else self.base_url + url)
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return json.load(response)
        except urllib.error.HTTPError as error:
            body = json.load(error)  # every error has the same shape: no parsing per endpoint
            raise ApiError(body["status"], body["code"], body["message"]) from None

    def all_pages(self, url: str | None) -> list[dict]:
        """Follow `next` until the last page: works for page numbers and cursors alike."""
        items = []
        while url:
            page = self.get(url)
            items += page["results"]
            url = page["next"]
        return items


def inbox_lines(client: InboxClient) -> list[str]:
    """What the inbox screen shows: one line per conversation, with its newest message."""
    lines = []
    for conversation in client.all_pages("/api/v1/conversations/"):
        names = " and ".join(person["username"] for person in conversation["participants"])
        newest = client.get(conversation["messages_url"])["results"][:1]  # newest first
        last = (
            f'"{newest[0]["body"]}" from {newest[0]["sender"]["username"]}' if newest else "no messages yet"
        )
        lines.append(
            f"{conversation['title'] or names}: {conversation['message_count']} messages, last {last}"
        )
    return lines
    # --8<-- [end:client]
