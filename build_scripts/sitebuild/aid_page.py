"""The decision aid page (docs/aid/index.md): its attributes and its pre-rendered first question.

The first question is rendered by the same Python renderer the browser uses, so a member of
staff can read and answer it before Pyodide has loaded. So is each practice scenario's first
question with its story, held in inert <template>s that aid.js shows for `?practice=<id>`: a
trainee reads the story from the first moment, and an early answer is kept as in the aid.
"""

from __future__ import annotations

import html
import re

from decision_aid import web
from decision_aid.content import Content

from . import BuildError
from .state import Build

PAGE = "aid/index.md"
AID_ROOT = re.compile(r'<div id="aid-root"([^>]*)>')
AID_FIRST_STEP = "<!-- aid:first-step -->"
AID_PRACTICE = "<!-- aid:practice-starts -->"


def aid_page_html(build: Build, page_html: str, base: str, reference_url: str, has_reference: bool, map_url: str = "../map/") -> str:
    """Give #aid-root the office, the site root (`base`, relative) and the page to use when the
    aid cannot run (`reference_url`: the all-questions page, or the start page without one)."""
    if not AID_ROOT.search(page_html) or AID_FIRST_STEP not in page_html or AID_PRACTICE not in page_html:
        raise BuildError(f'handbook: docs/{PAGE} must hold <div id="aid-root">, {AID_FIRST_STEP} and {AID_PRACTICE}')
    first = web.prerender(build.office.id, base, content=Content(build.flow, build.profiles, build.register))

    reference_text = "every question of the aid on one page" if has_reference else "the handbook's start page"
    attrs = (
        f' data-office="{html.escape(build.office.id)}" data-base="{html.escape(base)}"'
        f' data-reference="{html.escape(reference_url)}" data-reference-text="{html.escape(reference_text)}"'
    )
    page_html = AID_ROOT.sub(lambda m: f'<div id="aid-root"{m.group(1)}{attrs}>', page_html, count=1)
    page_html = page_html.replace("aid:reference-link", html.escape(reference_url))
    page_html = page_html.replace("aid:reference-text", html.escape(reference_text))
    page_html = page_html.replace("aid:map-link", html.escape(map_url))
    return page_html.replace(AID_FIRST_STEP, first, 1)


def with_practice_starts(build: Build, output: str, base: str) -> str:
    """The finished page with each scenario's first step in a <template>. Added after the search
    plugin has read the page (on_post_page), so the stories, exercises rather than guidance,
    never appear in search."""
    if output.count(AID_PRACTICE) != 1:
        raise BuildError(f"handbook: docs/{PAGE} must hold {AID_PRACTICE} once, inside #aid-root")
    content = Content(build.flow, build.profiles, build.register)
    starts = "".join(
        f'<template data-practice="{html.escape(sid)}">{web.prerender(build.office.id, base, content=content, practice=sid)}</template>'
        for sid in build.scenarios)
    return output.replace(AID_PRACTICE, starts, 1)
