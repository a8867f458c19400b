"""Two pagination styles: page numbers for conversations, a cursor for messages."""

from __future__ import annotations

from rest_framework.pagination import CursorPagination, PageNumberPagination


# --8<-- [start:pages]
class ConversationPagination(PageNumberPagination):
    """?page=2&page_size=5 -> {"count", "next", "previous", "results"}."""

    page_size = 10
    page_size_query_param = "page_size"  # the client may ask for fewer or more...
    max_page_size = 50  # ...but never more than this


class MessageCursorPagination(CursorPagination):
    """?cursor=<opaque> -> {"next", "previous", "results"}: no count, no page numbers.

    The cursor encodes a position in the ordering, so a message that arrives while someone
    is reading never shifts a page and never shows up twice, and no COUNT query runs.
    """

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    ordering = ("-sent_at", "-id")  # newest first; the id breaks ties between equal timestamps
# --8<-- [end:pages]
