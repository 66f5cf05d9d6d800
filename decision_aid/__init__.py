"""OPCC contact-management decision aid: the policy flow as data, and an engine over it.

Standard library only, so the same code runs in CPython and in Pyodide in the browser.
"""

from .content import ContentError, load_all, load_flow, load_profiles, load_register
from .engine import AnswerError, answer, outcome, walk

__all__ = [
    "AnswerError", "ContentError", "answer", "load_all", "load_flow", "load_profiles",
    "load_register", "outcome", "walk",
]
