"""A lesson's uploaded files (video, captions, downloads) are served only to those who may
open the lesson: Wagtail serves documents by id to anyone who asks, and ids count up."""

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from tests.conftest import PASSWORD
from tests.learning.conftest import add_lesson


def media_document(name: str):
    return get_document_model().objects.create(
        title=name, file=ContentFile(b"worksheet", name=name)
    )


@pytest.fixture
def worksheet(course):
    document = media_document("worksheet.pdf")
    add_lesson(course, "with-a-download", body=[("download", {"document": document})])
    return document


def fetch(client, document):
    return client.get(document.url)


def test_an_enrolled_learner_downloads_a_lessons_file(client, enrolled, worksheet):
    client.login(email=enrolled.email, password=PASSWORD)
    response = fetch(client, worksheet)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"worksheet"


def test_a_visitor_is_asked_to_log_in_for_a_lessons_file(client, worksheet):
    response = fetch(client, worksheet)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_a_learner_of_another_course_may_not_fetch_a_lessons_file(client, olaf, worksheet):
    client.login(email=olaf.email, password=PASSWORD)
    assert fetch(client, worksheet).status_code == 403


def test_the_courses_editor_fetches_a_lessons_file(client, editor, worksheet):
    client.login(email=editor.email, password=PASSWORD)
    assert fetch(client, worksheet).status_code == 200


def test_a_file_no_page_uses_is_left_to_wagtails_rules(client, db):
    loose = media_document("handbook.pdf")
    assert fetch(client, loose).status_code == 200
