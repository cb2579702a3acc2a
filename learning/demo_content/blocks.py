"""Short ways to write the blocks of a demo lesson: questions, quizzes, callouts, prompts."""


def q(text, choices, kind="single", explanation=""):
    """A quiz question: ``choices`` are (text, correct, feedback) triples."""
    return {
        "text": text,
        "kind": kind,
        "choices": [
            {"text": choice, "correct": correct, "feedback": feedback}
            for choice, correct, feedback in choices
        ],
        "explanation": explanation,
    }


def quiz(title, questions, pass_mark=70, max_attempts=3, intro="", graded=True):
    return (
        "quiz",
        {
            "title": title,
            "intro": intro,
            "pass_mark": pass_mark,
            "max_attempts": max_attempts,
            "graded": graded,
            "questions": questions,
        },
    )


def callout(kind, title, text):
    return ("callout", {"kind": kind, "title": title, "text": text})


def reflection(prompt, guidance="", required=False):
    return ("reflection", {"prompt": prompt, "guidance": guidance, "required": required})


class Media:
    """A picture, document or video the seed makes (``learning.demo.demo_media``) and puts in
    the block in place of this marker, by ``key``."""

    def __init__(self, key: str) -> None:
        self.key = key

    def __repr__(self) -> str:
        return f"Media({self.key!r})"


def figure(image, alt_text, caption=""):
    return ("figure", {"image": Media(image), "alt_text": alt_text, "caption": caption})


def download(document, title, description=""):
    return ("download", {"document": Media(document), "title": title, "description": description})


def video_file(video, title, transcript="", captions=None, poster=None):
    return (
        "video",
        {
            "video": "",
            "file": Media(video),
            "captions": Media(captions) if captions else None,
            "captions_language": "en",
            "poster": Media(poster) if poster else None,
            "title": title,
            "transcript": transcript,
        },
    )
