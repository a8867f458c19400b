"""The inbox screen, as a client builds it from each API design.

The screen shows the user's 20 most recent conversations: for each, the title, the
participants' names, and who wrote the latest message and what it says. Every function
returns the same rows; they differ in how many requests and bytes it takes to get them.
`http` is anything with `get(url, params) -> parsed JSON` (the tests pass a client that
counts requests, bytes and SQL queries).
"""

from __future__ import annotations

from typing import Protocol

SCREEN_ROWS = 20


class Http(Protocol):
    def get(self, url: str, params: dict | None = None) -> dict | list: ...


def row(title: str, participants: list[str], latest: dict | None) -> dict:
    return {"title": title, "participants": participants,
            "latest": None if latest is None else {"sender": latest["sender"], "body": latest["body"]}}


# --8<-- [start:links]
def inbox_by_following_links(http: Http) -> list[dict]:
    """The messaging API as it is: a page of conversations, then each one's messages_url."""
    page = http.get("/api/v1/conversations/", {"page_size": SCREEN_ROWS})
    rows = []
    for conversation in page["results"]:
        # One more round trip per conversation, for one message.
        messages = http.get(conversation["messages_url"], {"page_size": 1})["results"]
        latest = {"sender": messages[0]["sender"]["username"], "body": messages[0]["body"]} if messages else None
        names = sorted(user["username"] for user in conversation["participants"])
        rows.append(row(conversation["title"], names, latest))
    return rows
# --8<-- [end:links]


# --8<-- [start:everything]
def inbox_from_everything(http: Http) -> list[dict]:
    """One request to the endpoint that embeds everything; most of it is thrown away."""
    conversations = http.get("/challenges/inbox/everything/")
    rows = []
    for conversation in conversations[:SCREEN_ROWS]:
        messages = conversation["messages"]  # all of them, oldest first
        latest = {"sender": messages[-1]["sender"]["username"], "body": messages[-1]["body"]} if messages else None
        rows.append(row(conversation["title"], [user["username"] for user in conversation["participants"]], latest))
    return rows
# --8<-- [end:everything]


# --8<-- [start:fields]
INBOX_QUERY = {"fields": "title,participants,last_message", "expand": "last_message", "page_size": SCREEN_ROWS}


def inbox_with_fields_and_expand(http: Http) -> list[dict]:
    """One request that names the fields the screen shows and embeds the latest message."""
    page = http.get("/challenges/inbox/", INBOX_QUERY)
    return [row(c["title"], c["participants"], c["last_message"]) for c in page["results"]]
# --8<-- [end:fields]
