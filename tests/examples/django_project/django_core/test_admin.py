"""The admin changelists load related objects up front: the query count per page does not grow."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext

from measurements import matches_recorded
from messaging.models import Conversation, Message, Notification

pytestmark = pytest.mark.django_db


def add_messages(n: int, people) -> None:
    conversation = Conversation.objects.create(title=f"Batch of {n}")
    conversation.participants.add(people.alice, people.bob)
    for i in range(n):  # create(), not bulk_create: the signals add notifications for that changelist
        Message.objects.create(conversation=conversation, sender=people.alice, body=f"Message {i}")


def changelist_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", [
    "/admin/messaging/message/", "/admin/messaging/conversation/", "/admin/messaging/notification/",
])
def test_changelist_queries_do_not_grow_with_rows(superuser_client, people, url):
    add_messages(3, people)
    few = changelist_queries(superuser_client, url)
    add_messages(30, people)
    many = changelist_queries(superuser_client, url)
    assert few == many


def test_without_list_select_related_the_notification_changelist_grows_three_queries_a_row(
    superuser_client, people, monkeypatch
):
    # The claim in the admin's comment: its columns are methods, so nothing is joined by default.
    monkeypatch.setattr(admin.site._registry[Notification], "list_select_related", False)
    add_messages(3, people)
    few = changelist_queries(superuser_client, "/admin/messaging/notification/")
    add_messages(30, people)
    many = changelist_queries(superuser_client, "/admin/messaging/notification/")
    assert many - few == 3 * 30  # 30 more notifications (one per message): user, message, sender


def test_the_notification_changelist_shows_recipient_and_sender(superuser_client, people):
    add_messages(1, people)
    rows = superuser_client.get("/admin/messaging/notification/").context["cl"].result_list
    assert [(row.user.username, row.message.sender.username) for row in rows] == [("bob", "alice")]


def test_the_conversation_changelist_shows_the_annotated_participant_count(superuser_client, people):
    add_messages(1, people)
    response = superuser_client.get("/admin/messaging/conversation/?o=2")  # sortable by the annotation
    assert response.status_code == 200
    assert response.context["cl"].result_list[0].participant_count == 2


def test_the_message_page_shows_its_edit_history_inline(superuser_client, people):
    add_messages(1, people)
    message = Message.objects.get()
    message.body = "Edited"
    message.save()
    response = superuser_client.get(f"/admin/messaging/message/{message.pk}/change/")
    assert response.status_code == 200
    assert "Message 0" in response.content.decode()  # the old body, in the history inline
    assert Notification.objects.count() == 1


def test_render_the_changelist_query_counts(superuser_client, people, monkeypatch):
    urls = {
        "Messages": "/admin/messaging/message/",
        "Conversations": "/admin/messaging/conversation/",
        "Notifications": "/admin/messaging/notification/",
    }
    add_messages(3, people)
    few = {name: changelist_queries(superuser_client, url) for name, url in urls.items()}
    monkeypatch.setattr(admin.site._registry[Notification], "list_select_related", False)
    few["Notifications, `list_select_related = False`"] = changelist_queries(superuser_client, urls["Notifications"])
    monkeypatch.undo()
    add_messages(30, people)
    many = {name: changelist_queries(superuser_client, url) for name, url in urls.items()}
    monkeypatch.setattr(admin.site._registry[Notification], "list_select_related", False)
    many["Notifications, `list_select_related = False`"] = changelist_queries(superuser_client, urls["Notifications"])
    assert all(few[name] == many[name] for name in urls)
    table = "| Changelist | queries, 3 messages | queries, 33 messages |\n| --- | ---: | ---: |\n" + "".join(
        f"| {name} | {few[name]} | {many[name]} |\n" for name in few
    )
    assert matches_recorded("examples/django_project/measured/django-admin-changelists.md", table)
