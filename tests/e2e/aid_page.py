"""The decision aid page, driven the way a member of staff uses it, so that tests read as
specifications. Written against decision_aid/PROTOCOL.md and docs/aid/aid.js:

- #aid-root carries data-state="loading|ready|failed" (aid.js); the first question is in the HTML
  served, pre-rendered at build time;
- each step is <form class="aid-form" data-node="NODE" data-mode="normal|change">; choices have the
  id "<node>-<option>", details fields "details-<field>"; the heading is #aid-heading;
- buttons carry data-action="back|ask_restart|restart|summary|result|change|confirm|cancel|carry_on|copy|download|print".
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Callable

READY_TIMEOUT_MS = 180_000  # a bound, not a target: boots take 3-6 s here, 30 s+ on a busy machine, and the page fails on a stall by itself
VIEW_TIMEOUT_MS = 15_000
SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"


def scenario(name: str) -> dict[str, Any]:
    """The answers of tests/scenarios/<name>.json (stable option ids, replayable in any office)."""
    return json.loads((SCENARIOS / f"{name}.json").read_text(encoding="utf-8"))["answers"]


class AidPage:
    def __init__(self, page):
        self.page = page

    # ------------------------------------------------------------------------------- loading

    def open(self, wait_until: str = "domcontentloaded") -> "AidPage":
        response = self.page.goto("aid/", wait_until=wait_until)
        assert response is not None and response.status == 200, f"aid/ answered {response and response.status}"
        return self

    @property
    def state(self) -> str | None:
        return self.page.get_attribute("#aid-root", "data-state")

    def wait_until_ready(self) -> "AidPage":
        """Wait for the worker's ready signal (#aid-root[data-state=ready]) and for what the page
        sends at once on it (a saved walk restored) to be on screen; a failure says why. (On
        ready, a restored walk's view replaces the pre-rendered first question a moment later:
        acting in between answers a question that is about to go.)"""
        self.page.wait_for_function(
            """() => {
                const state = document.getElementById('aid-root')?.dataset.state;
                return state === 'failed' || (state === 'ready' && !document.getElementById('aid-step').hasAttribute('aria-busy'));
            }""",
            timeout=READY_TIMEOUT_MS,
        )
        if self.state != "ready":
            reason = self.page.text_content("#aid-failure-reason")
            raise AssertionError(f"the decision aid failed to start: {reason!r}")
        return self

    # ------------------------------------------------------------------------------ what is shown

    @property
    def node(self) -> str | None:
        """The question on screen (data-node of the step form), or None on other views."""
        form = self.page.query_selector("#aid-step form.aid-form")
        return form.get_attribute("data-node") if form else None

    @property
    def mode(self) -> str | None:
        form = self.page.query_selector("#aid-step form.aid-form")
        return form.get_attribute("data-mode") if form else None

    @property
    def view(self) -> str:
        found = self.page.evaluate(
            """() => {
                const step = document.getElementById('aid-step');
                if (step.querySelector('form.aid-form')) return 'step';
                if (step.querySelector('.aid-summary-page')) return 'summary';
                if (step.querySelector('.aid-confirm')) return 'confirm';
                if (step.querySelector('.aid-interrupt')) return 'interrupt';
                if (step.querySelector('.aid-result')) return 'result';
                if (step.querySelector('.aid-error-page')) return 'error';
                return 'unknown';
            }"""
        )
        return found

    @property
    def heading(self) -> str:
        return self.page.inner_text("#aid-heading").strip()

    @property
    def focused_id(self) -> str:
        return self.page.evaluate("() => document.activeElement && document.activeElement.id")

    def checked(self) -> list[str]:
        """Ids of the ticked boxes and chosen radios on the current step."""
        return self.page.eval_on_selector_all("#aid-step input[name=answer]:checked", "els => els.map(e => e.id)")

    def summary(self) -> dict[str, str]:
        """The "Check your answers" rows: question -> answer as shown."""
        return self.page.eval_on_selector_all(
            "#aid-step .aid-summary__row",
            """rows => Object.fromEntries(rows.map(r => [
                r.querySelector('.aid-summary__key').innerText.trim(),
                r.querySelector('.aid-summary__value').innerText.trim()]))""",
        )

    def summary_nodes(self) -> list[str]:
        return self.page.eval_on_selector_all(
            "#aid-step [data-action=change][data-node]", "els => els.map(e => e.dataset.node)"
        )

    def note(self) -> str:
        """The record note as the page holds it (the text the Copy button copies)."""
        return self.page.text_content("#doc-note")

    # ------------------------------------------------------------------- waiting for the engine

    def _mark_current_view(self) -> None:
        self.page.evaluate("() => { const h = document.getElementById('aid-heading'); if (h) h.dataset.e2eSeen = '1'; }")

    def _wait_for_new_view(self) -> None:
        self.page.wait_for_function(
            """() => {
                const h = document.getElementById('aid-heading');
                const step = document.getElementById('aid-step');
                return h && !h.dataset.e2eSeen && !step.hasAttribute('aria-busy');
            }""",
            timeout=VIEW_TIMEOUT_MS,
        )

    def _act(self, do: Callable[[], None]) -> "AidPage":
        self._mark_current_view()
        do()
        self._wait_for_new_view()
        return self

    # ------------------------------------------------------------------------------- answering

    def choose(self, node: str, option_ids: list[str] | str) -> "AidPage":
        """Tick exactly these options of the question on screen (radios or checkboxes)."""
        assert self.node == node, f"expected the question {node!r}, the page shows {self.node!r} ({self.heading!r})"
        wanted = [option_ids] if isinstance(option_ids, str) else list(option_ids)
        inputs = self.page.eval_on_selector_all(
            "#aid-step form.aid-form input[name=answer]", "els => els.map(e => [e.id, e.type, e.checked])"
        )
        ids = [i for i, _, _ in inputs]
        for option in wanted:
            assert f"{node}-{option}" in ids, f"{node!r} offers no option {option!r} (it has {ids})"
        for input_id, kind, checked in inputs:
            want = input_id.removeprefix(f"{node}-") in wanted
            if want != checked and (want or kind == "checkbox"):  # a click, as a user would
                self.page.locator(f"#{input_id}").set_checked(want)
        still = sorted(self.checked())
        assert still == sorted(f"{node}-{o}" for o in wanted), f"ticked {still}, wanted {wanted}"
        return self

    def fill_details(self, details: dict[str, str]) -> "AidPage":
        """Type into the fields of the details question on screen (the record, or what is in place)."""
        assert self.node in ("details", "arrangement_details"), f"expected a details step, the page shows {self.node!r}"
        for field, value in details.items():
            self.page.fill(f"#{self.node}-{field}", value)
        return self

    def continue_(self) -> "AidPage":
        """Press the step's submit button (Continue, or "Save and return" in change mode)."""
        return self._act(lambda: self.page.click("#aid-step form.aid-form button[type=submit]"))

    def answer(self, node: str, value: Any) -> "AidPage":
        if isinstance(value, dict):
            self.fill_details(value)
        else:
            self.choose(node, value)
        return self.continue_()

    def walk(self, answers: dict[str, Any], after_each: Callable[["AidPage"], None] | None = None) -> list[str]:
        """Answer every question the aid asks from `answers` until "Check your answers".

        After each new view, focus must be on its heading. Returns the questions asked, in order.
        """
        asked = []
        for _ in range(40):
            if self.view == "interrupt":  # what to do now, after a safety tick: read, then carry on
                self.assert_focus_on_heading()
                self.action("carry_on")
                continue
            if self.view != "step":
                break
            node = self.node
            assert node in answers, f"the aid asks {node!r} ({self.heading!r}), which the answers do not cover"
            asked.append(node)
            self.answer(node, answers[node])
            self.assert_focus_on_heading()
            if after_each:
                after_each(self)
        assert self.view == "summary", f"the walk ended on {self.view!r} ({self.heading!r}), not on Check your answers"
        return asked

    # ------------------------------------------------------------------------- other actions

    def action(self, name: str, node: str | None = None) -> "AidPage":
        selector = f"#aid-step [data-action={name}]" + (f"[data-node={node}]" if node else "")
        return self._act(lambda: self.page.click(selector))

    def change(self, node: str) -> "AidPage":
        self.action("change", node)
        assert self.node == node and self.mode == "change", f"Change {node!r} opened {self.node!r} in mode {self.mode!r}"
        return self

    def see_result(self) -> "AidPage":
        self.action("result")
        assert self.view == "result", f"expected the recommendation, the page shows {self.heading!r}"
        return self

    def start_again(self) -> "AidPage":
        """Start again, and answer yes to the question before everything is cleared."""
        self.action("ask_restart")
        if self.view == "confirm":
            assert self.heading == "Start again?", f"Start again asked {self.heading!r}"
            self.action("restart")
        return self

    # ------------------------------------------------------------------------ keyboard alone

    def tab_to(self, selector: str, limit: int = 250) -> None:
        """Press Tab until the focused element matches the selector (no clicks, no scripting)."""
        for _ in range(limit):
            if self.page.evaluate("(s) => !!document.activeElement && document.activeElement.matches(s)", selector):
                return
            self.page.keyboard.press("Tab")
        raise AssertionError(f"{limit} presses of Tab never reached {selector}; focus is on {self.focused_id!r}")

    def key_choose(self, node: str, option_ids: list[str] | str) -> "AidPage":
        """Choose options by keyboard: Tab to each box and press Space; in a radio group, Tab
        into the group and move with the arrow keys, as the platform does."""
        assert self.node == node, f"expected the question {node!r}, the page shows {self.node!r}"
        wanted = [option_ids] if isinstance(option_ids, str) else list(option_ids)
        order = self.page.eval_on_selector_all("#aid-step form.aid-form input[name=answer]", "els => els.map(e => [e.id, e.type])")
        kinds = dict(order)
        targets = [i for i, _ in order if i.removeprefix(f"{node}-") in wanted]
        assert len(targets) == len(wanted), f"{node!r} offers {list(kinds)}, not all of {wanted}"
        for target in targets:
            if kinds[target] == "radio":
                self.tab_to("#aid-step input[type=radio][name=answer]")
                for _ in range(len(order)):
                    if self.focused_id == target:
                        break
                    self.page.keyboard.press("ArrowDown")
                assert self.focused_id == target, f"arrow keys never reached {target}"
                if not self.page.is_checked(f"#{target}"):
                    self.page.keyboard.press("Space")
            else:
                self.tab_to(f"#{target}")
                self.page.keyboard.press("Space")
        assert sorted(self.checked()) == sorted(targets), f"the keyboard ticked {self.checked()}, not {targets}"
        return self

    def key_fill(self, details: dict[str, str]) -> "AidPage":
        for field, value in details.items():
            self.tab_to(f"#details-{field}")
            self.page.keyboard.type(value)
        return self

    def key_press_button(self, selector: str, key: str = "Enter") -> "AidPage":
        """Tab to a button and press Enter (or Space); wait for the view it brings."""
        self.tab_to(selector)
        return self._act(lambda: self.page.keyboard.press(key))

    # ---------------------------------------------------------------------------- assertions

    def assert_focus_on_heading(self) -> None:
        expected = "aid-error-summary" if self.page.query_selector("#aid-error-summary") else "aid-heading"
        assert self.focused_id == expected, (
            f"after moving to {self.heading!r} focus is on {self.focused_id!r}, not on #{expected}"
        )


ENGINE_SCRIPT = """
import json, sys
import decision_aid
from decision_aid import web
request = json.load(sys.stdin)
session = web.new_session(request["office"], "../")
session.handle({"type": "start", "answers": request["answers"]})
response = session.handle({"type": "result"})
json.dump({"file": decision_aid.__file__, "view": response["view"], "title": response["title"],
           "documents": response.get("documents", [])}, sys.stdout)
"""


def engine_documents(package_dir: Path, answers: dict[str, Any], office: str = "generic") -> dict[str, str]:
    """The documents CPython renders for these answers with the engine the site serves (its
    content files as served, each module's source: see served_package): document id -> text."""
    proc = subprocess.run(
        [sys.executable, "-c", ENGINE_SCRIPT], input=json.dumps({"office": office, "answers": answers}),
        capture_output=True, text=True, cwd=package_dir, timeout=60,
        env={**os.environ, "PYTHONPATH": str(package_dir)},
    )
    assert proc.returncode == 0, f"CPython could not run the served decision_aid package:\n{proc.stderr}"
    response = json.loads(proc.stdout)
    assert Path(response["file"]).is_relative_to(package_dir), f"imported {response['file']}, not the served package"
    assert response["view"] == "result", f"CPython did not reach a result: {response['title']}"
    return {d["id"]: d["text"] for d in response["documents"]}
