"""The browser session: the answers in memory, and which view answers each request.

One `Session` per aid page. It keeps the answers, the question on screen and a change waiting
for confirmation, and turns each request from the page (PROTOCOL.md) into a view: the HTML
comes from `views.py` and `practice_views.py`, the decisions from the engine. Nothing here
renders markup or decides policy.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field, replace
from typing import Any

from ..content import Content, load_content
from ..engine import AnswerError, Walk, answer, outcome, validate, walk, would_discard
from ..model import Flow, Node, Profile
from ..note import as_json, make
from ..practice import feedback, load_practice
from ..record import Carried, RecordError, read_record
from ..rules import safety_first
from .. import contract as c
from . import practice_views, views
from .views import Links


@dataclass
class Session:
    flow: Flow
    profiles: dict[str, Profile]
    profile: Profile
    links: Links
    today: dt.date | None = None
    answers: dict[str, Any] = field(default_factory=dict)
    shown: str | None = None  # the node on screen; None on summary, confirm and result
    pending: tuple[str, Any] | None = None  # a change awaiting confirmation
    practice: Any = None  # a practice.Scenario while a trainee works through one
    carried: Carried | None = None  # what a previous record put in place, offered on its questions
    view: str = ""  # the view on screen, so that "No" to Start again returns to it
    resume: str = ""  # the view to return to from the Start again question
    prepared: tuple[tuple, dict] | None = None  # a result made ahead (prepare), with what it was made from

    # -- request handling
    def handle(self, request: dict[str, Any]) -> dict[str, Any]:
        kind = request.get("type")
        handler = getattr(self, f"on_{kind}", None) if isinstance(kind, str) else None
        if handler is None:
            return self._error_view(f"The aid did not understand the request {kind!r}.")
        return handler(request)

    def on_start(self, request: dict) -> dict:
        scenario_id = request.get("practice")
        if scenario_id is not None:
            scenarios = load_practice(self.flow, self.profiles)
            self.practice = scenarios.get(scenario_id) if isinstance(scenario_id, str) else None
            if self.practice is None:
                return self._error_view(f"There is no practice scenario called {str(scenario_id)[:60]!r}. Choose one from the induction page.")
            self.profile = self.profiles[self.practice.office]
        record = request.get("record")
        if record is not None:
            try:
                self.carried = read_record(record if isinstance(record, str) else "", self.flow, self.profile, self.profiles)
            except RecordError as error:
                return self._error_view(str(error))
            self.answers, self.pending = {}, None
            view = self._next_view()
            view["announce"] = f"Case record of {self.carried.made} opened. " + view["announce"]
            return view
        restored = request.get("answers")
        self.answers = walk(self.flow, self.profile, restored).answers if isinstance(restored, dict) else {}
        self.prepared = None
        return self._next_view()

    def on_restart(self, request: dict) -> dict:
        self.answers, self.pending, self.carried, self.resume = {}, None, None, ""
        self.prepared = None  # the result made ahead goes with the answers it was made from
        view = self._next_view()
        view["announce"] = "Started again. All answers cleared. " + view["announce"]
        return view

    def on_submit(self, request: dict) -> dict:
        node_id = request.get("node")
        state = walk(self.flow, self.profile, self.answers)
        if node_id not in self.flow.nodes or (node_id not in state.path and node_id != state.current):
            return self._next_view()  # a stale form (e.g. from the pre-rendered page): show where we are
        node = self.flow.nodes[node_id]
        values = request.get("values")
        value = form_value(node, values if isinstance(values, dict) else {})
        mode = "change" if request.get("mode") == "change" else "normal"
        prefix = {n: state.answers[n] for n in state.path[: state.path.index(node_id)]} if node_id in state.path else state.answers
        try:
            value = validate(self.flow, self.profile, prefix, node_id, value)
        except AnswerError as error:
            return self._step_view(node_id, value=value, error=error, mode=mode)
        if mode == "change":
            discarded = would_discard(self.flow, self.profile, self.answers, node_id, value)
            if discarded:
                self.pending = (node_id, value)
                self.shown = None
                return self._view("confirm", None, views.render_confirm(self.flow, node_id, discarded),
                                  "Check before changing", "This change clears some later answers.")
        self._apply(node_id, value)
        if node_id == c.SAFETY and mode == "normal" and safety_first(self.flow, self.profile, self.answers):
            return self._interrupt_view()
        return self._next_view(after_change=mode == "change")

    def _interrupt_view(self) -> dict:
        first = safety_first(self.flow, self.profile, self.answers)
        self.shown = None
        return self._view("interrupt", None, views.render_interrupt(self.flow, self.profile, first, self.links),
                          self.flow.say("result.now_title"), "Do this now, before anything else.")

    def on_carry_on(self, request: dict) -> dict:
        return self._next_view()

    def on_show(self, request: dict) -> dict:
        """A view the browser's history holds (Back, Forward, a reload, a return from another
        page): that view again, if the answers still lead there; else where they do lead."""
        restored = request.get("answers")
        if isinstance(restored, dict) and not self.answers:
            self.answers = walk(self.flow, self.profile, restored).answers
        view, node = request.get("view"), request.get("node")
        state = walk(self.flow, self.profile, self.answers)
        if view == "step" and isinstance(node, str) and (node in state.path or node == state.current):
            return self._step_view(node)
        if view == "interrupt" and safety_first(self.flow, self.profile, self.answers):
            return self._interrupt_view()
        if view in ("summary", "confirm") and state.complete:
            return self.on_summary(request)
        if view == "result" and state.complete:
            return self.on_result(request)
        return self._next_view()

    def on_confirm(self, request: dict) -> dict:
        if self.pending:
            node_id, value = self.pending
            self.pending = None
            self._apply(node_id, value)
        return self._next_view(after_change=True)

    def on_cancel(self, request: dict) -> dict:
        self.pending = None
        resume, self.resume = self.resume, ""
        if resume == "result":
            return self.on_result(request)
        if resume == "step" and self.shown:
            return self._step_view(self.shown)
        return self.on_summary(request)

    def on_ask_restart(self, request: dict) -> dict:
        if not self.answers:
            return self.on_restart(request)  # nothing to lose
        self.resume = self.view
        return self._view("confirm", None, views.render_restart_confirm(), "Start again?", "Start again? This clears every answer.")

    def on_back(self, request: dict) -> dict:
        state = walk(self.flow, self.profile, self.answers)
        if self.shown is None and state.path:  # from the summary or a result: the last question
            return self._step_view(state.path[-1])
        position = state.path.index(self.shown) if self.shown in state.path else len(state.path)
        if position == 0:
            return self._step_view(self.shown or self.flow.start, can_go_back=False)
        return self._step_view(state.path[position - 1])

    def on_change(self, request: dict) -> dict:
        node_id = request.get("node")
        state = walk(self.flow, self.profile, self.answers)
        if node_id not in state.path:
            return self._next_view()
        return self._step_view(node_id, mode="change")

    def on_summary(self, request: dict) -> dict:
        state = walk(self.flow, self.profile, self.answers)
        if not state.complete:
            return self._next_view()
        self.shown = None
        return self._view("summary", None, views.render_summary(self.flow, self.profile, state),
                          "Check your answers", "Check your answers before you see the recommendation.")

    def on_result(self, request: dict) -> dict:
        state = walk(self.flow, self.profile, self.answers)
        if not state.complete:
            return self._next_view()
        key = self._result_key()
        view = self.prepared[1] if self.prepared and self.prepared[0] == key else self._result_view(state)
        self.shown = None
        self.view = "result"
        return dict(view)

    def prepare(self) -> None:
        """Make the result ahead, while Check your answers is read: the worker calls this 300 ms
        after a reply unless another request came first. The result is the slowest view to make
        (about a tenth of a second on a slow laptop), and is then ready on the click. Changes
        nothing on screen; a request that arrives while it runs waits for it."""
        if self.view != "summary" or self.resume:
            return  # not on Check your answers, or asked there whether to start again
        key = self._result_key()
        if self.prepared and self.prepared[0] == key:
            return
        state = walk(self.flow, self.profile, self.answers)
        if state.complete:
            self.prepared = (key, self._result_view(state))

    def _result_key(self) -> tuple:
        """Everything a result view depends on besides the content."""
        return (self.profile.id, self.practice.id if self.practice else None, self.today or dt.date.today(),
                json.dumps(self.answers, sort_keys=True))

    def _result_view(self, state: Walk) -> dict:
        result = outcome(self.flow, self.profile, state.answers, self.today)
        made = make(result, self.flow)
        shown_docs = made.documents
        if self.practice is not None:  # a trainee's output must never pass for a real record
            stamp = self.flow.say("result.practice_stamp")
            shown_docs = [replace(d, title=f"{stamp}: {d.title}", filename=f"practice-{d.filename}") for d in shown_docs]
        docs = views.result_documents(result, shown_docs)
        announce, lead = "The recommendation and record note are ready.", ""
        if self.practice is not None:
            fb = feedback(self.flow, self.profile, self.practice, state.answers)
            lead = practice_views.render_comparison(self.flow, self.practice, fb, self.links)
            announce = "Practice complete: your answers are shown beside the model answer."
        html = views.render_result(self.flow, result, docs, self.links, as_json(result, self.flow, made), made.statements, lead)
        view = self._make_view("result", None, html, "Recommendation", announce, state=state)
        view["documents"] = docs
        return view

    # -- helpers
    def _apply(self, node_id: str, value: Any) -> None:
        state, _ = answer(self.flow, self.profile, self.answers, node_id, value)
        self.answers = state.answers

    def _next_view(self, after_change: bool = False) -> dict:
        state = walk(self.flow, self.profile, self.answers)
        self.answers = state.answers
        if state.complete:
            return self.on_summary({})
        return self._step_view(state.current)

    def _step_view(self, node_id: str, *, value: Any = None, error: AnswerError | None = None,
                   mode: str = "normal", can_go_back: bool | None = None) -> dict:
        state = walk(self.flow, self.profile, self.answers)
        prefix_len = state.path.index(node_id) if node_id in state.path else len(state.path)
        prefix = {n: state.answers[n] for n in state.path[:prefix_len]}
        carried = self.carried.answers().get(node_id) if self.carried else None
        if value is None and error is None:
            value = state.answers.get(node_id, carried)
        node = self.flow.nodes[node_id]
        note = views.carried_note(self.flow, self.carried) if carried is not None and node_id not in state.answers else ""
        html = views.render_step(self.flow, self.profile, prefix, node_id, self.links, number=prefix_len + 1,
                           value=value, error=error, mode=mode, carried=note,
                           can_go_back=prefix_len > 0 if can_go_back is None else can_go_back)
        self.shown = node_id
        if error:
            return self._view("step", node_id, html, f"Error: {node.question}", f"There is a problem: {error.message}", focus="aid-error-summary")
        return self._view("step", node_id, html, node.question, f"Step {prefix_len + 1}: {node.question}")

    def _view(self, view: str, node: str | None, html: str, title: str, announce: str, focus: str = "aid-heading") -> dict:
        if view != "confirm":
            self.view = view
        return self._make_view(view, node, html, title, announce, focus)

    def _make_view(self, view: str, node: str | None, html: str, title: str, announce: str, focus: str = "aid-heading",
                   state: Walk | None = None) -> dict:
        if state is None:
            state = walk(self.flow, self.profile, self.answers)
        if self.practice is not None:
            # The story stays in reach on every step, folded away once the trainee has started.
            html = practice_views.with_brief(self.flow, self.practice, self.links, html, opened=not state.path)
        return {
            "view": view, "node": node, "html": html, "title": f"{title} – Decision aid",
            "focus": focus, "announce": announce, "answers": state.answers, "complete": state.complete,
        }

    def _error_view(self, message: str) -> dict:
        return self._view("error", None, views.render_error(message), "Something went wrong", message)


def form_value(node: Node, values: dict[str, Any]) -> Any:
    """FormData ({name: [values]}) to the engine's answer shape for this question."""
    def strings(name: str) -> list[str]:
        raw = values.get(name, [])
        raw = raw if isinstance(raw, list) else [raw]
        return [v for v in raw if isinstance(v, str)]

    if node.kind == "details":
        return {f.id: (strings(f.id) or [""])[0] for f in node.fields}
    picked = strings("answer")
    if node.kind == "single":
        return picked[0] if picked else ""
    return picked


def form_values(value: Any) -> dict[str, list[str]]:
    """An answer as the page's form sends it (the inverse of form_value): for scripts that play
    walks through the bridge, as the build and the tests do."""
    if isinstance(value, dict):
        return {name: [text] for name, text in value.items()}
    return {"answer": value if isinstance(value, list) else [value]}


def new_session(office: str = "generic", base: str = "../", today: dt.date | None = None,
                content: Content | None = None) -> Session:
    content = content or load_content()
    profile = content.profiles.get(office) or content.profiles["generic"]
    return Session(content.flow, content.profiles, profile, Links(base), today)
