"""The data the decision aid is made of: frozen dataclasses, no behaviour beyond small lookups.

Content files (TOML under `content/`) are read into these by `content.py`; the rules in
`rules.py` and the walk in `engine.py` only ever see these types.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

NodeKind = Literal["single", "multi", "details"]
PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


@dataclass(frozen=True)
class Template:
    """Words from a content file with named placeholders (`{date}`), filled by the code.

    The loader has checked that the placeholders are exactly those the code supplies
    (`contract.TEXTS`), so filling one cannot fail on valid content.
    """

    text: str
    fields: tuple[str, ...] = ()

    def fill(self, **values: object) -> str:
        return PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), self.text)

    def shown(self) -> str:
        """The words with each placeholder visible, for the policy owner's sign-off page."""
        return PLACEHOLDER.sub(lambda m: f"[{m.group(1).replace('_', ' ')}]", self.text)


@dataclass(frozen=True)
class Stage:
    """A stage of the walk: its label is only displayed; `page` is its handbook page."""

    id: str
    label: str
    page: str


@dataclass(frozen=True)
class Channel:
    id: str
    label: str  # "E-mail"
    phrase: str  # how a sentence names contact by it: "e-mail", "visiting in person"
    live: bool = False  # a conversation staff can end there and then (a call, a visit)


@dataclass(frozen=True)
class Clause:
    policy: str  # "001"
    key: str  # "§7.2"
    title: str
    office: str
    file: str
    short: str = ""  # the office's short name, for naming whose policy a clause is

    @property
    def ref(self) -> str:
        return f"{self.policy} {self.key}"


@dataclass(frozen=True)
class Register:
    """The clause register: every clause the content may cite, by reference ("001 §7.2")."""

    clauses: dict[str, Clause]

    def resolve(self, ref: str) -> Clause | None:
        return self.clauses.get(ref)


@dataclass(frozen=True)
class Advice:
    """Our own advice where a policy is silent: shown to staff as practice, with the reason."""

    text: str
    why: str


@dataclass(frozen=True)
class Cited:
    """An office's value together with the clauses of its own policy that state it, and any
    advice of ours that goes with it (where the policy is silent)."""

    text: str
    cite: tuple[str, ...]
    advice: Advice | None = None


@dataclass(frozen=True)
class Transition:
    """Go to `to` when the named condition holds; `when=None` is the default route."""

    to: str
    when: str | None = None


@dataclass(frozen=True)
class Option:
    id: str
    label: str
    cite: tuple[str, ...]
    hint: str = ""
    family: str | None = None  # behaviour options: which family the behaviour belongs to
    exclusive: bool = False  # multi-select: "none of these" cannot be combined with others
    next: str | None = None  # overrides the node's route when this option is chosen
    met: bool | None = None  # underlying-cause options: does this answer mean the duty is met?
    remedy: str = ""  # underlying-cause options: what to put right when not met
    police: str | None = None  # safety and behaviour options: the kind of behaviour for the police
    practice: str = ""  # why we advise it, where it is our own practice rather than policy


@dataclass(frozen=True)
class InputField:
    id: str
    label: str
    kind: Literal["text", "textarea", "date"]
    required: bool
    hint: str = ""
    max_length: int = 4000


@dataclass(frozen=True)
class Node:
    id: str
    stage: str  # a stage id
    kind: NodeKind
    question: str
    cite: tuple[str, ...]
    hint: str = ""
    cause: bool = False  # an underlying-cause question: each option says whether the duty is met
    hint_practice: str = ""  # why the hint is our own advice, where it is
    practice: str = ""  # why asking it is our own practice, where no clause asks it
    page: str = ""  # its own handbook page, where it has one besides its stage's
    page_label: str = ""  # that page's name in "Read more" links
    options: tuple[Option, ...] = ()
    fields: tuple[InputField, ...] = ()
    options_from: str | None = None  # "measures": options come from the measures ladder
    next: tuple[Transition, ...] = ()

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)


@dataclass(frozen=True)
class Family:
    id: str
    label: str
    summary: str
    cite: tuple[str, ...]
    letter: str = ""  # how a letter to the person names this kind of behaviour
    ask: str = ""  # what a letter asks the person to do instead


@dataclass(frozen=True)
class Measure:
    id: str
    label: str
    rank: int  # severity on the ladder: higher is more restrictive
    tier: str  # key into Flow.tiers
    authoriser: str  # role key into a profile's authorisers
    reason: str  # why it is proportionate, in our words
    cite: tuple[str, ...]
    channels: tuple[str, ...] = ()  # only offered for contact on these channels (empty: any)
    removes: tuple[str, ...] = ()  # channels of contact this measure takes away from the person
    matter: tuple[str, ...] = ()  # only where the matter is in one of these states (empty: any)
    letter: str = ""  # the sentence for the written notice, addressed to the person
    practice: str = ""


@dataclass(frozen=True)
class Tier:
    id: str
    label: str
    rank: int
    restricts: bool  # is this a restriction of contact (needs authorisation, notice, review)?
    page: str = ""  # its handbook page


@dataclass(frozen=True)
class Item:
    """A checklist item, safeguard or immediate action: words, the clauses behind them, and, where
    it is our practice, why (`practice`) or our advice added to an office's rule (`advice`)."""

    id: str
    text: str
    cite: tuple[str, ...]
    practice: str = ""
    advice: Advice | None = None
    only: tuple[str, ...] = ()  # journey handling: only for these answers of the journey's own question


@dataclass(frozen=True)
class NoticeItem:
    """An element of a letter (a restriction notice or a warning), and how the letter carries it:
    a paragraph to the person (`part="letter"`), a reminder to staff (`"staff"`), or the letter's
    own body. `cite`: the policies that require it; `practice`: why we add it where an office's
    policy does not."""

    id: str
    text: str
    cite: tuple[str, ...]
    part: str
    wording: Template | None = None
    practice: str = ""


@dataclass(frozen=True)
class CeilingRule:
    """A proportionality rule: how far up the ladder it allows (`tier`; None: nothing) and why."""

    id: str
    tier: str | None
    text: str
    cite: tuple[str, ...]
    practice: str = ""


@dataclass(frozen=True)
class ReviewFallback:
    """The interval proposed where an office's policy fixes none (always our practice)."""

    months: int
    cite: tuple[str, ...]
    practice: str


@dataclass(frozen=True)
class Flow:
    version: str
    content_hash: str
    start: str
    nodes: dict[str, Node]
    families: dict[str, Family]
    tiers: dict[str, Tier]
    measures: dict[str, Measure]
    checklist: dict[str, Item]
    notice: dict[str, NoticeItem]
    warning_letter: dict[str, NoticeItem]
    safeguards: dict[str, Item]
    actions: dict[str, Item]
    channels: dict[str, Channel]
    stages: dict[str, Stage]
    ceiling: dict[str, CeilingRule]
    review_fallback: ReviewFallback
    texts: dict[str, Template | tuple[Template, ...]] = field(repr=False)
    handling: dict[str, tuple[Item, ...]] = field(default_factory=dict)  # journey -> how it is handled
    register: Register = field(repr=False, default=Register({}))

    def node(self, node_id: str) -> Node:
        return self.nodes[node_id]

    def page_of(self, node_id: str) -> str:
        """The handbook page behind a question: its own, or its stage's."""
        node = self.nodes[node_id]
        return node.page or self.stages[node.stage].page

    def say(self, key: str, **values: object) -> str:
        """A sentence from the content's words (rules.toml, documents.toml, screens.toml)."""
        return self.texts[key].fill(**values)

    def paragraphs(self, key: str, **values: object) -> tuple[str, ...]:
        return tuple(t.fill(**values) for t in self.texts[key])

    @property
    def pages(self) -> set[str]:
        """Every handbook page the flow names (stages, questions and tiers)."""
        return ({s.page for s in self.stages.values()} | {t.page for t in self.tiers.values() if t.page}
                | {n.page for n in self.nodes.values() if n.page})


@dataclass(frozen=True)
class PoliceRule:
    """What an office's policy does about one kind of behaviour and the police."""

    kind: str  # contract.POLICE_KINDS: violence, threats, abuse
    rule: str  # contract.POLICE_RULES: always, will, may, judgement, silent
    said: Cited


@dataclass(frozen=True)
class WithoutWarning:
    """Restricting before the person has had a chance to change: what the office's policy says,
    and the measures (if any) it allows in a safety case before any warning."""

    said: Cited
    measures: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()  # only for contact by these channels (empty: any)


@dataclass(frozen=True)
class Letter:
    """The elements an office's letter carries: those its policy requires, and those we add."""

    items: tuple[str, ...]
    cite: tuple[str, ...]
    practice: tuple[str, ...] = ()

    @property
    def all(self) -> tuple[str, ...]:
        return self.items + tuple(p for p in self.practice if p not in self.items)


@dataclass(frozen=True)
class Profile:
    id: str
    name: str
    short: str
    source: str  # a policy id, or "all" for the generic profile
    person: Cited
    authorisers: dict[str, Cited]
    end_contact: Cited  # how a call may be ended, in the office's own terms
    end_visit: Cited | None  # how a visit may be ended, where the policy says
    police: dict[str, PoliceRule]  # kind -> what the policy does about it
    police_visit: Cited | None  # a route of its own for threatening or abusive visits
    without_warning: WithoutWarning
    review_months: int  # 0 when the policy fixes no interval
    review: Cited
    dispute: Cited
    dispute_letter: str  # the route, addressed to the person; "" when the policy states none
    read_and_file: Cited
    measures: tuple[str, ...]
    measures_cite: tuple[str, ...]
    measure_words: dict[str, Measure]  # measures as this office's policy words them ([measure_words])
    not_while_ongoing: tuple[str, ...]  # measures the office does not allow while a matter is ongoing
    not_while_ongoing_cite: tuple[str, ...]
    warnings: tuple[Cited, ...]
    contacts: tuple[Cited, ...]
    checklist: tuple[str, ...]
    checklist_cite: tuple[str, ...]
    notice: Letter
    warning_letter: Letter
    file: str = field(default="", compare=False)

    def measure(self, measure: Measure) -> Measure:
        """The measure in this office's own words and clauses, where its policy words it its own way."""
        return self.measure_words.get(measure.id, measure)

    def own(self, refs: tuple[str, ...] | list[str]) -> tuple[str, ...]:
        """The references that are this office's own policy (all of them for the generic profile)."""
        if self.source == "all":
            return tuple(refs)
        return tuple(r for r in refs if r.split(" ", 1)[0] == self.source)


# --- what the engine concludes --------------------------------------------------------------------


@dataclass(frozen=True)
class CauseFinding:
    """One underlying-cause question and the honest answer given to it."""

    node: str
    question: str
    answer: str
    met: bool
    remedy: str
    cite: tuple[str, ...]


@dataclass(frozen=True)
class ChosenMeasure:
    measure: Measure
    tier: Tier
    decided_by: Cited  # from the office profile
    note: str = ""  # e.g. which channel the person keeps


@dataclass(frozen=True)
class Withheld:
    """A measure on the ladder that is not offered here, and why: proportionality made visible."""

    measure: Measure
    why: str


@dataclass(frozen=True)
class Outcome:
    office: Profile
    flow_version: str
    content_hash: str
    decision_date: str  # ISO date
    reference: str
    account: str
    channel: str  # label
    matter: Option
    history: Option
    new_information: bool
    safety: tuple[Option, ...]
    behaviours: tuple[Option, ...]
    families: tuple[Family, ...]
    nothing_unacceptable: bool
    immediate: tuple[Item, ...]
    causes: tuple[CauseFinding, ...]
    restrictions_wait: tuple[str, ...]  # why any restriction must wait; empty when none
    needs: tuple[Option, ...]
    protected_channel: str | None  # channel id a reasonable adjustment relies on
    ceiling: Tier | None  # the most restrictive tier the case justifies; None: no measure at all
    ceiling_reasons: tuple[Item, ...]
    open_tier: Tier | None  # the most restrictive tier with a measure this office may propose now
    measures: tuple[ChosenMeasure, ...]
    withheld: tuple[Withheld, ...]
    restricts: bool
    checklist: tuple[tuple[Item, bool], ...]  # (item, satisfied); empty when nothing restricts
    notice: tuple[NoticeItem, ...]  # what the written notice contains; empty when none is due
    warning_elements: tuple[NoticeItem, ...]  # what the warning letter contains; empty when none
    safeguards: tuple[Item, ...]
    dispute: Cited | None
    police_route: Cited | None  # the office's route to the police, where the behaviour may be reported
    review_date: str | None
    review_basis: str
    warning_letter: bool
    strategy_notice: bool
    citations: tuple[str, ...]

    journey: Option | None = None  # an incident, or a breach of a warning or strategy
    arrangement: dict[str, str] = field(default_factory=dict)  # a breach: what was in place (arrangement_details)
    handling: tuple[Item, ...] = ()  # a breach: how it is handled

    @property
    def remedies(self) -> tuple[CauseFinding, ...]:
        return tuple(c for c in self.causes if not c.met)

    @property
    def authorisation_ready(self) -> bool:
        return all(ok for _, ok in self.checklist)


@dataclass(frozen=True)
class CaseOutcome:
    """A journey other than a behaviour to deal with: a review, a dispute, an information request,
    a representative, or something new. What is in place, how this contact is handled, what
    happens next: never a sanction."""

    office: Profile
    flow_version: str
    content_hash: str
    journey: Option
    decision_date: str  # ISO date
    reference: str
    account: str
    safety: tuple[Option, ...]
    immediate: tuple[Item, ...]
    in_place: Option | None  # what is in place (reviewed, disputed or arrangement)
    decided: str | None  # ISO date it was decided
    decided_by: str
    terms: str
    review_due: str | None  # ISO date
    overdue: bool  # its review date passed before today's decision
    detail: Option | None  # the journey's own question: request kind, representative, what is new, review reason
    review_since: tuple[Option, ...]
    review_outcome: Option | None
    next_review: str | None  # ISO date; None when lifted or not a review
    next_review_months: int
    handling: tuple[Item, ...]
    dispute: Cited | None  # the office's dispute route (a dispute, a review's letter)
    decider: Cited | None  # who decides (a review: whoever authorises restrictions)
    citations: tuple[str, ...]
