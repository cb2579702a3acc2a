"""Lesson video blocks: saved without the network, shown as a player, a link or a file."""

from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents import get_document_model
from wagtail.embeds.exceptions import EmbedNotFoundException

from learning import blocks
from learning.blocks import EMBED_ORIGINS, VideoBlock

pytestmark = pytest.mark.django_db

YOUTUBE = "https://www.youtube.com/watch?v=abc123"


@pytest.fixture(autouse=True)
def blocks_forget_failed_lookups():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def offline(monkeypatch):
    """No oEmbed provider can be reached; counts the lookups."""
    calls = []

    def refuse(url, **kwargs):
        calls.append(url)
        raise EmbedNotFoundException(f"cannot reach {url}")

    monkeypatch.setattr(blocks, "get_embed", refuse)
    return calls


def provider_answers(monkeypatch, html: str) -> None:
    monkeypatch.setattr(blocks, "get_embed", lambda url, **kwargs: SimpleNamespace(html=html))


def document(name: str):
    return get_document_model().objects.create(title=name, file=ContentFile(b"x", name=name))


def video(**fields):
    block = VideoBlock()
    value = {"title": "Scoring in four steps", "transcript": "Value, feasibility, fit."} | fields
    return block, block.to_python(block.get_prep_value(block.normalize(value)))


def clean(**fields):
    block, value = video(**fields)
    return block.clean(value)


def errors(**fields) -> dict[str, str]:
    """What the editor is told, by field."""
    with pytest.raises(StructBlockValidationError) as caught:
        clean(**fields)
    return {name: " ".join(error.messages) for name, error in caught.value.block_errors.items()}


def render(**fields) -> str:
    block, value = video(**fields)
    return block.render(value)


# Saving


def test_a_video_address_saves_while_offline(offline):
    assert clean(video=YOUTUBE)["video"] == YOUTUBE
    assert offline == []  # saving asks nobody


def test_a_video_needs_an_address_or_a_file():
    assert "either a video address or a video file" in errors()["video"]


def test_a_video_is_an_address_or_a_file_not_both():
    found = errors(video=YOUTUBE, file=document("clip.webm"))
    assert "either a video address or a video file" in found["video"]


def test_a_file_that_is_not_a_video_is_refused():
    assert "Choose a video file" in errors(file=document("notes.pdf"))["file"]


def test_captions_must_be_webvtt():
    found = errors(file=document("clip.webm"), captions=document("captions.srt"))
    assert "WebVTT" in found["captions"]


def test_captions_go_with_a_video_file():
    found = errors(video=YOUTUBE, captions=document("captions.vtt"))
    assert "Captions go with a video file" in found["captions"]


def test_an_uploaded_video_with_captions_saves():
    value = clean(file=document("clip.webm"), captions=document("captions.vtt"))
    assert value["file"].title == "clip.webm"


# Showing


def test_offline_the_address_is_an_accessible_link_not_an_error(offline):
    html = render(video=YOUTUBE)
    assert f'<a class="video-link" href="{YOUTUBE}"' in html
    assert "Watch “Scoring in four steps” on youtube.com" in html
    assert "<iframe" not in html


def test_a_failed_lookup_is_not_retried_on_every_page_view(offline):
    render(video=YOUTUBE)
    render(video=YOUTUBE)
    assert offline == [YOUTUBE]


def test_online_the_video_sites_player_is_framed_with_a_title(monkeypatch):
    provider_answers(
        monkeypatch,
        '<iframe width="480" src="https://www.youtube.com/embed/abc123?feature=oembed&amp;x=1">'
        "</iframe><script>alert(1)</script>",
    )
    html = render(video=YOUTUBE)
    assert 'src="https://www.youtube.com/embed/abc123?feature=oembed&amp;x=1"' in html
    assert 'title="Video: Scoring in four steps"' in html
    assert "<script" not in html  # only the player's address is kept from the answer


def test_a_player_our_policy_would_block_is_shown_as_a_link(monkeypatch):
    provider_answers(monkeypatch, '<iframe src="https://videos.example/embed/1"></iframe>')
    html = render(video="https://videos.example/watch/1")
    assert "<iframe" not in html and 'class="video-link"' in html


def test_an_uploaded_video_plays_here_with_its_captions(offline):
    clip, captions = document("clip.webm"), document("captions.vtt")
    html = render(file=clip, captions=captions)
    assert "<video" in html and "controls" in html
    assert f'<source src="{clip.url}" type="video/webm">' in html
    assert f'<track kind="captions" src="{captions.url}" srclang="en"' in html
    assert offline == []  # a file needs no lookup


def test_the_transcript_is_offered(offline):
    assert "Value, feasibility, fit." in render(video=YOUTUBE)


def test_a_lesson_saved_with_the_old_oembed_block_keeps_its_address(offline):
    block = VideoBlock()
    old = {"video": YOUTUBE, "title": "Old", "transcript": ""}  # what EmbedBlock stored
    value = block.to_python(old)
    assert value["video"] == YOUTUBE and 'href="' + YOUTUBE in block.render(value)


def test_every_player_we_frame_is_allowed_by_the_policy():
    frame_src = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["frame-src"]
    assert set(EMBED_ORIGINS) <= set(frame_src)
    assert "'self'" in frame_src  # Wagtail's live preview frames our own pages
