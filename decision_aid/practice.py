"""Practice scenarios for induction: load them, compare a trainee's answers with the model answer.

The scenarios are data (`content/practice.toml`), validated on load like the flow: every problem
is one `ContentError` naming the file and the key. A model answer must be a complete, valid walk
of the flow (`engine.walk(..., strict=True)`), so a scenario can never teach something the aid
cannot do. Comparison and rendering are pure functions; nothing is recorded or sent anywhere.
Standard library only: this runs in Pyodide too.

    scenarios = load_practice(flow, profiles)            # id -> Scenario, in file order
    scenario = scenarios["angry_about_delay"]
    profile = profiles[scenario.office]                 # the office the model answer is written for
    differences = compare(flow, profile, scenario, trainee_answers)
    html = practice_views.render_comparison(flow, scenario, feedback(flow, profile, scenario, trainee_answers), Links("../"))
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import contract as c
from .content import CONTENT_DIR, ID, ContentError, Reader, Register, check_cites, load_content, read_toml
from .engine import AnswerError, outcome, walk
from .model import CaseOutcome, Flow, Outcome, Profile

PRACTICE_FILE = "practice.toml"
CAUSES = "causes"  # a `why` key that covers every underlying-cause question not given its own
AUTHORISER = "authoriser"  # a `why` key: who decides the most restrictive measure
SCENARIO_KEYS = {"title", "office", "read_after", "story", "answers", "model", "why"}
MODEL_KEYS = {"families", "measures", "authoriser", "restricts", "handling"}


# --- the data -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Why:
    """The reason for one model answer, in our words, and the clauses behind it."""

    text: str
    cite: tuple[str, ...]


@dataclass(frozen=True)
class ModelAnswer:
    """What the model answer concludes, stated independently of the engine's wording."""

    families: tuple[str, ...]  # behaviour family ids; empty for "none of these"
    measures: tuple[str, ...]  # measure ids proposed (never "no_action")
    authoriser: str  # words naming who decides the most restrictive measure; "" when none
    restricts: bool  # does the model answer restrict the person's contact?
    handling: tuple[str, ...] = ()  # a journey other than a behaviour: how it is handled (journeys.toml ids)


@dataclass(frozen=True)
class Scenario:
    id: str
    title: str
    office: str  # the profile the model answer is written for
    read_after: str  # handbook page (one of flow.pages) to read before trying it
    story: str  # what the trainee reads: facts only
    answers: dict[str, Any]  # the model answers, in the engine's format (canonical)
    path: tuple[str, ...]  # the questions the model answers go through, in order
    model: ModelAnswer
    why: dict[str, Why]  # node id, "causes" or "authoriser" -> reason

    @property
    def paragraphs(self) -> list[str]:
        return [" ".join(p.split()) for p in self.story.strip().split("\n\n") if p.strip()]

    def why_for(self, flow: Flow, node_id: str) -> Why | None:
        if node_id in self.why:
            return self.why[node_id]
        if flow.nodes[node_id].cause:
            return self.why.get(CAUSES)
        return None


# --- loading and validation -------------------------------------------------------------------------


def load_practice(flow: Flow | None = None, profiles: dict[str, Profile] | None = None,
                  content_dir: Path = CONTENT_DIR) -> dict[str, Scenario]:
    """Every practice scenario, in file order, validated against the flow and the profiles."""
    if flow is None or profiles is None:
        loaded = load_content(content_dir)
        flow, profiles = loaded.flow, loaded.profiles
    register = flow.register
    r = Reader(PRACTICE_FILE, read_toml(content_dir / PRACTICE_FILE))
    r.unknown({"scenarios"})
    table = r.table("scenarios")
    if not table.data:
        r.fail("scenarios", "lists no scenario")
    scenarios: dict[str, Scenario] = {}
    for sid, s in table.items():
        scenarios[sid] = _read_scenario(sid, s, flow, profiles, register)
    return scenarios


def _read_scenario(sid: str, s: Reader, flow: Flow, profiles: dict[str, Profile], register: Register) -> Scenario:
    if not ID.match(sid):
        s.fail("", f"{sid!r} is not a valid scenario id (lower-case letters, digits, _)")
    s.unknown(SCENARIO_KEYS)
    office = s.text("office")
    if office not in profiles:
        s.fail("office", f"{office!r} is not an office profile ({', '.join(sorted(profiles))})")
    profile = profiles[office]
    read_after = s.text("read_after")
    pages = sorted(flow.pages)
    if read_after not in pages:
        s.fail("read_after", f"{read_after!r} is not a handbook page named in flow.toml ({', '.join(pages)})")
    story = s.text("story")

    # The model answers: known questions only, then a strict, complete walk.
    a = s.table("answers")
    for key in a.data:
        if key not in flow.nodes:
            a.fail(key, f"there is no question named {key!r} in flow.toml")
    try:
        state = walk(flow, profile, dict(a.data), strict=True)
    except AnswerError as error:
        raise ContentError(s.file, a.key(error.node), error.message) from None
    if not state.complete:
        a.fail("", f"the model answers stop before the question {state.current!r}: answer it so the walk is complete")

    m = s.table("model")
    m.unknown(MODEL_KEYS)
    journey = state.answers[c.JOURNEY]
    behaviour = journey in c.BEHAVIOUR_JOURNEYS
    if not behaviour:  # no behaviour is decided: no families, measures or authoriser to state
        for key in ("families", "measures", "authoriser"):
            if key in m.data:
                m.fail(key, f"is for a decision about behaviour; a {journey} states its `handling` instead")
    families = m.strings("families") if behaviour else []
    for i, fid in enumerate(families):
        if fid not in flow.families:
            raise ContentError(s.file, f"{m.key('families')}[{i}]", f"no behaviour family named {fid!r} ({', '.join(flow.families)})")
    measures = m.strings("measures") if behaviour else []
    for i, mid in enumerate(measures):
        if mid not in flow.measures:
            raise ContentError(s.file, f"{m.key('measures')}[{i}]", f"no measure named {mid!r} in measures.toml")
    answered = [x for x in _as_list(state.answers.get(c.MEASURES)) if x in flow.measures]
    if sorted(measures) != sorted(answered):
        m.fail("measures", f"lists {sorted(measures)}, but the model answers propose {sorted(answered)}")
    authoriser = m.get("authoriser", str) if behaviour else ""
    if answered and not authoriser.strip():
        m.fail("authoriser", "is empty, but the model answer proposes a measure: say who decides it")
    handling = m.strings("handling") if "handling" in m.data else []
    known = {i.id for i in flow.handling.get(journey, ())}
    for i, hid in enumerate(handling):
        if hid not in known:
            raise ContentError(s.file, f"{m.key('handling')}[{i}]", f"{hid!r} is not how a {journey} is handled ({', '.join(sorted(known))})")
    if not behaviour and not handling:
        m.fail("handling", "is missing: say how this contact is handled (ids from journeys.toml)")
    model = ModelAnswer(tuple(families), tuple(measures), authoriser, m.flag("restricts"), tuple(handling))

    why_r = s.table("why")
    why: dict[str, Why] = {}
    for key, w in why_r.items():
        if key not in flow.nodes and key not in (CAUSES, AUTHORISER):
            why_r.fail(key, f"is neither a question in flow.toml nor {CAUSES!r} or {AUTHORISER!r}")
        if key in flow.nodes and key not in state.path:
            why_r.fail(key, "explains a question the model answers never reach")
        w.unknown({"text", "cite"})
        why[key] = Why(w.text("text"), check_cites(w, "cite", register))
    if not behaviour:  # a review, dispute, request, representative or something new: its own questions
        needed = [c.JOURNEY, *(n for n in (c.JOURNEY_QUESTION.get(journey), c.REVIEW_OUTCOME) if n in state.path)]
        for key in needed:
            if key not in why:
                why_r.fail(key, "is missing: the model answer here needs its reason, with citations")
        return Scenario(sid, s.text("title"), office, read_after, story, dict(state.answers), state.path, model, why)
    needed = [c.BEHAVIOUR]
    causes = [n for n in state.path if flow.nodes[n].cause]
    if causes and CAUSES not in why:
        needed += [n for n in causes if n not in why]
    needed += [n for n in causes if flow.nodes[n].option(state.answers[n]).met is False]  # unmet: its own reason
    if c.MEASURES in state.path:
        needed.append(c.MEASURES)
    if answered:
        needed.append(AUTHORISER)
    for key in needed:
        if key not in why:
            why_r.fail(key, "is missing: the model answer here needs its reason, with citations")
    return Scenario(sid, s.text("title"), office, read_after, story, dict(state.answers), state.path, model, why)


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def verify(flow: Flow, profile: Profile, scenario: Scenario) -> list[str]:
    """Where the engine's outcome for the model answers differs from the stated model answer.

    Empty when they agree. The tests run this for every scenario, so the scenarios double as
    regression tests of the engine.
    """
    result = outcome(flow, profile, scenario.answers)
    problems = []
    if isinstance(result, CaseOutcome):
        handling = sorted(i.id for i in result.handling)
        if handling != sorted(scenario.model.handling):
            problems.append(f"handling: the engine gives {handling}, the model answer says {sorted(scenario.model.handling)}")
        if scenario.model.restricts or scenario.model.measures:
            problems.append("restricts: the model answer restricts contact, which this journey never does")
        return problems
    families = sorted(f.id for f in result.families)
    if families != sorted(scenario.model.families):
        problems.append(f"families: the engine finds {families}, the model answer says {sorted(scenario.model.families)}")
    measures = [c.measure.id for c in result.measures]
    if sorted(measures) != sorted(scenario.model.measures):
        problems.append(f"measures: the engine proposes {measures}, the model answer says {list(scenario.model.measures)}")
    top = _top_authoriser(result)
    if scenario.model.authoriser and scenario.model.authoriser not in top:
        problems.append(f"authoriser: the engine names {top!r}, which does not contain {scenario.model.authoriser!r}")
    if not scenario.model.authoriser and top:
        problems.append(f"authoriser: the model answer names nobody, the engine names {top!r}")
    if result.restricts != scenario.model.restricts:
        problems.append(f"restricts: the engine says {result.restricts}, the model answer says {scenario.model.restricts}")
    return problems


def _top_authoriser(result: Outcome | CaseOutcome) -> str:
    measures = getattr(result, "measures", ())
    return measures[-1].decided_by.text if measures else ""


# --- comparison -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Difference:
    """One point of comparison between the trainee's answers and the model answer.

    `key` is a node id for a question, or "outcome.families", "outcome.measures",
    "outcome.authoriser", "outcome.restricts" for what the answers add up to. `trainee` and
    `model` are labels as plain text (escape them when rendering). `page` is the handbook page
    (relative to the site root, e.g. "causes/"). `match` is False whenever the two differ,
    including when the trainee did not reach the question.
    """

    key: str
    kind: str  # "question" or "outcome"
    question: str
    stage: str
    trainee: tuple[str, ...]
    model: tuple[str, ...]
    match: bool
    answered: bool  # did the trainee answer this question (or complete the walk, for outcomes)?
    why: str
    cite: tuple[str, ...]
    page: str

    @property
    def anchor(self) -> str:
        return "practice-" + self.key.replace(".", "-").replace("_", "-")


# The decisions a walk adds up to, in the order feedback leads with them: the question, and the
# question whose stage (and handbook page) it belongs to ("" for the first cause question).
OUTCOME_QUESTIONS = {
    "outcome.families": ("What kind of behaviour is this?", c.BEHAVIOUR),
    "outcome.causes": ("Which shortcomings in our own handling were found?", ""),
    "outcome.ceiling": ("How far may the response go?", c.HISTORY),
    "outcome.measures": ("Which measures are proposed?", c.MEASURES),
    "outcome.authoriser": ("Who decides the most restrictive measure?", c.CHECKLIST),
    "outcome.restricts": ("Is the person's contact restricted?", c.MEASURES),
}
# A journey other than a behaviour sums up as how it is handled, and that nothing is restricted.
CASE_OUTCOME_QUESTIONS = {
    "outcome.handling": ("How is this contact handled?", c.JOURNEY),
    "outcome.restricts": ("Is the person's contact restricted?", c.JOURNEY),
}
NOT_REACHED = "Not reached"
NO_SHORTCOMING = "None found"
NO_CEILING = "No measure at all"


@dataclass(frozen=True)
class Feedback:
    """The comparison as a trainee should read it: the decisions first, then the questions both
    walks asked, with the questions only one walk asked grouped under the answer after which the
    two walks parted (so one wrong turn counts once, not once per question it skipped)."""

    decisions: tuple[Difference, ...]
    questions: tuple[Difference, ...]  # asked on both walks, in the order asked
    parted_at: str | None  # the question after which the walks asked different questions
    only_yours: tuple[Difference, ...]
    only_model: tuple[Difference, ...]  # includes questions the trainee has not reached yet

    @property
    def differing(self) -> tuple[Difference, ...]:
        return tuple(d for d in self.decisions + self.questions if not d.match)


def feedback(flow: Flow, profile: Profile, scenario: Scenario, trainee_answers: dict[str, Any]) -> Feedback:
    """`compare`, grouped for reading: see `Feedback`."""
    trainee = walk(flow, profile, trainee_answers if isinstance(trainee_answers, dict) else {})
    differences = compare(flow, profile, scenario, trainee.answers)
    asked = {n: i for i, n in enumerate(scenario.path)}
    both = sorted((d for d in differences if d.kind == "question" and d.key in trainee.path and d.key in asked),
                  key=lambda d: asked[d.key])
    return Feedback(
        decisions=tuple(d for d in differences if d.kind == "outcome"),
        questions=tuple(both),
        parted_at=_parted_by(flow, profile, scenario, trainee, both),
        only_yours=tuple(d for d in differences if d.kind == "question" and d.key not in asked),
        only_model=tuple(d for d in differences if d.kind == "question" and d.key not in trainee.path),
    )


def _parted_by(flow: Flow, profile: Profile, scenario: Scenario, trainee, both: list[Difference]) -> str | None:
    """The answer that sent the walks apart: of the differing answers before the two walks first
    ask different questions, the first whose model answer, put in its place, takes the trainee's
    walk to the model's next question (an answer no route reads, such as the channel, is passed
    over). None when one walk is the start of the other (the trainee has not finished)."""
    mine = trainee.path + ((trainee.current,) if trainee.current else ())
    split = next((i for i, (a, b) in enumerate(zip(mine, scenario.path)) if a != b), None)
    if split is None:
        return None
    earlier = set(scenario.path[:split])
    candidates = [d.key for d in both if d.key in earlier and not d.match]
    for key in candidates:
        fixed = walk(flow, profile, {**trainee.answers, key: scenario.answers[key]})
        reached = fixed.path + ((fixed.current,) if fixed.current else ())
        if reached[: split + 1] == scenario.path[: split + 1]:
            return key
    return candidates[0] if candidates else None


def compare(flow: Flow, profile: Profile, scenario: Scenario, trainee_answers: dict[str, Any]) -> list[Difference]:
    """The trainee's answers beside the model answer: every question either of them reached (in
    flow order, the record-note step left out), then what the answers add up to.

    `profile` should be the scenario's own office (`profiles[scenario.office]`): the model answer
    was written for it. Trainee answers may be incomplete or invalid; what the walk cannot use
    is treated as not answered.
    """
    trainee = walk(flow, profile, trainee_answers if isinstance(trainee_answers, dict) else {})
    model_path = set(scenario.path)
    out: list[Difference] = []
    for nid, node in flow.nodes.items():
        if nid == c.DETAILS or (nid not in model_path and nid not in trainee.path):
            continue
        mine = _labels(flow, profile, trainee.answers, nid) if nid in trainee.answers else ()
        model = _labels(flow, profile, scenario.answers, nid) if nid in model_path else ()
        same = nid in trainee.answers and nid in model_path and _same(trainee.answers[nid], scenario.answers[nid])
        why = scenario.why_for(flow, nid)
        if why is None and nid not in model_path:
            why_text = "The model answer does not reach this question: an earlier answer differs and takes the walk another way."
        else:
            why_text = why.text if why else ""
        out.append(Difference(
            key=nid, kind="question", question=node.question, stage=flow.stages[node.stage].label,
            trainee=mine, model=model, match=same, answered=nid in trainee.answers,
            why=why_text, cite=why.cite if why else node.cite, page=flow.page_of(nid),
        ))
    out += _compare_outcomes(flow, profile, scenario, trainee.answers if trainee.complete else None)
    return out


def _compare_case_outcomes(flow: Flow, scenario: Scenario, result: Outcome | CaseOutcome | None) -> list[Difference]:
    journey = scenario.answers[c.JOURNEY]
    items = {i.id: i.text for i in flow.handling[journey]}
    model_labels = {"outcome.handling": tuple(items[h] for h in items if h in scenario.model.handling), "outcome.restricts": ("No",)}
    mine = {key: () for key in model_labels}
    if result is not None:
        mine = {"outcome.handling": tuple(i.text for i in getattr(result, "handling", ())) or ("Nothing: the answers lead to a decision about behaviour",),
                "outcome.restricts": ("Yes",) if getattr(result, "restricts", False) else ("No",)}
    reason = scenario.why.get(c.JOURNEY)
    page = flow.page_of(c.JOURNEY_QUESTION.get(journey) or c.JOURNEY)
    return [Difference(key=key, kind="outcome", question=question, stage=flow.stages[flow.nodes[node_id].stage].label,
                       trainee=mine[key], model=model_labels[key], match=result is not None and set(mine[key]) == set(model_labels[key]),
                       answered=result is not None, why=reason.text if reason else "", cite=reason.cite if reason else (), page=page)
            for key, (question, node_id) in CASE_OUTCOME_QUESTIONS.items()]


def _compare_outcomes(flow: Flow, profile: Profile, scenario: Scenario, answers: dict | None) -> list[Difference]:
    model = scenario.model
    result = outcome(flow, profile, answers) if answers is not None else None
    if scenario.answers[c.JOURNEY] not in c.BEHAVIOUR_JOURNEYS:
        return _compare_case_outcomes(flow, scenario, result)
    # The shortcomings and the ceiling follow from the model answers (a complete walk, verified
    # on load), so they are read from the engine rather than stated twice in the scenario.
    model_result = outcome(flow, profile, scenario.answers)
    assert isinstance(model_result, Outcome)
    measures = sorted((profile.measure(flow.measures[m]) for m in model.measures), key=lambda m: m.rank)
    first_cause = next(n for n, node in flow.nodes.items() if node.cause)
    model_labels = {
        "outcome.families": tuple(flow.families[f].label for f in flow.families if f in model.families) or ("None of these: not unacceptable behaviour",),
        "outcome.causes": _shortcomings(model_result),
        "outcome.ceiling": _ceiling(model_result),
        "outcome.measures": tuple(m.label for m in measures) or ("No measure",),
        "outcome.authoriser": (profile.authorisers[measures[-1].authoriser].text,) if measures else ("Nobody: no measure is proposed",),
        "outcome.restricts": ("Yes",) if model.restricts else ("No",),
    }
    if isinstance(result, CaseOutcome):  # the trainee took the contact for something other than behaviour
        mine = {key: ("Not a decision about behaviour: " + result.journey.label,) for key in model_labels}
        mine["outcome.restricts"] = ("No",)
    elif result is not None:
        mine = {
            "outcome.families": tuple(f.label for f in result.families) or ("None of these: not unacceptable behaviour",),
            "outcome.causes": _shortcomings(result),
            "outcome.ceiling": _ceiling(result),
            "outcome.measures": tuple(c.measure.label for c in result.measures) or ("No measure",),
            "outcome.authoriser": (_top_authoriser(result),) if result.measures else ("Nobody: no measure is proposed",),
            "outcome.restricts": ("Yes",) if result.restricts else ("No",),
        }
    else:
        mine = {key: () for key in model_labels}
    why = {
        "outcome.families": scenario.why.get(c.BEHAVIOUR),
        "outcome.causes": scenario.why.get(CAUSES),
        "outcome.ceiling": scenario.why.get(c.HISTORY) or scenario.why.get(c.MEASURES) or scenario.why.get(c.BEHAVIOUR),
        "outcome.measures": scenario.why.get(c.MEASURES) or scenario.why.get(c.BEHAVIOUR),
        "outcome.authoriser": scenario.why.get(AUTHORISER) or scenario.why.get(c.MEASURES) or scenario.why.get(c.BEHAVIOUR),
        "outcome.restricts": scenario.why.get(c.MEASURES) or scenario.why.get(c.BEHAVIOUR),
    }
    top_tier = flow.tiers[measures[-1].tier] if measures else None
    pages = {
        "outcome.families": flow.page_of(c.BEHAVIOUR),
        "outcome.causes": flow.page_of(first_cause),
        "outcome.ceiling": flow.page_of(c.HISTORY),
        "outcome.measures": top_tier.page if top_tier else flow.page_of(c.BEHAVIOUR),
        "outcome.authoriser": top_tier.page if top_tier else flow.page_of(c.CHECKLIST),
        "outcome.restricts": flow.page_of(c.MEASURES),
    }
    out = []
    for key, (question, node_id) in OUTCOME_QUESTIONS.items():
        stage = flow.stages[flow.nodes[node_id or first_cause].stage].label
        reason = why[key]
        same = result is not None and (
            set(mine[key]) == set(model_labels[key]) if key != "outcome.measures" else mine[key] == model_labels[key]
        )
        out.append(Difference(
            key=key, kind="outcome", question=question, stage=stage, trainee=mine[key], model=model_labels[key],
            match=same, answered=result is not None, why=reason.text if reason else "",
            cite=reason.cite if reason else (), page=pages[key],
        ))
    return out


def _shortcomings(result: Outcome) -> tuple[str, ...]:
    return tuple(f.question for f in result.causes if not f.met) or (NO_SHORTCOMING,)


def _ceiling(result: Outcome) -> tuple[str, ...]:
    return (result.ceiling.label,) if result.ceiling else (NO_CEILING,)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, list) or isinstance(b, list):
        return sorted(_as_list(a)) == sorted(_as_list(b))
    return a == b


def _labels(flow: Flow, profile: Profile, answers: dict[str, Any], node_id: str) -> tuple[str, ...]:
    """Plain-text labels of one answer; an id nobody knows is shown as typed (and escaped later)."""
    node = flow.nodes[node_id]
    value = answers[node_id]
    if node.kind == "details":
        return tuple(f"{f.label}: {value.get(f.id, '')}" for f in node.fields if isinstance(value, dict))
    labels = {o.id: o.label for o in node.options}
    if node.options_from == c.FROM_MEASURES:
        labels.update({m.id: profile.measure(m).label for m in flow.measures.values()})
    if node.options_from == c.FROM_CHECKLIST:
        labels.update({i: item.text for i, item in flow.checklist.items()})
    return tuple(labels.get(v, str(v)) for v in _as_list(value))
