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
