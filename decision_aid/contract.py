"""The contract between the Python and the content: every id the code reads, and what it means.

The rules, the documents and the views read the content only through the names below. Loading
the content checks this contract both ways (`content.check_contract`): an id the code needs that
the content lacks, and a content value the code would not know how to handle, each fail with one
`ContentError` naming the file, the key and what the code expects. Nothing else in the package
may spell a content id; a new id the code relies on is declared here first, with its meaning.

Stage labels, option labels and every sentence are only ever displayed: the code finds what it
needs by id, by a declared flag (`exclusive`, `cause`, `met`) or by a declared role, never by
wording, and it never treats an unknown value as some default case.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .reading import ContentError

if TYPE_CHECKING:
    from .model import Flow

# --- questions (flow.toml [nodes.*]) and their options ---------------------------------------------

SAFETY = "safety"
JOURNEY = "journey"
BREACHED, REVIEWED, DISPUTED = "breached", "reviewed", "disputed"
ARRANGEMENT, ARRANGEMENT_DETAILS = "arrangement", "arrangement_details"
REQUEST_KIND, REPRESENTATIVE_KIND, NEW_KIND = "request_kind", "representative_kind", "new_kind"
REVIEW_REASON, REVIEW_SINCE, REVIEW_OUTCOME = "review_reason", "review_since", "review_outcome"
CHANNEL = "channel"
MATTER = "matter"
HISTORY = "history"
NEW_INFORMATION = "new_information"
BEHAVIOUR = "behaviour"
NEEDS = "needs"
ADJUSTMENT_CHANNEL = "adjustment_channel"
MEASURES = "measures"
CHECKLIST = "checklist"
DETAILS = "details"

VIOLENCE_USED = "violence_used"
VIOLENCE_THREATENED = "violence_threatened"
STALKING = "stalking"
PERSON_AT_RISK = "person_at_risk"  # a risk to the person themselves: safety first, never a sanction
VIOLENCE = (VIOLENCE_USED, VIOLENCE_THREATENED)

ONGOING, CONCLUDED, OUTSIDE_REMIT, NOT_KNOWN = "ongoing", "concluded", "outside_remit", "not_known"
IN_PERSON = "in_person"  # a channel id: an office may have its own police route for visits
MATTER_STATES = (ONGOING, CONCLUDED, OUTSIDE_REMIT, NOT_KNOWN)

FIRST, REPEATED, AFTER_WARNING, BREACH = "first", "repeated", "after_warning", "breach"

# The journeys: what kind of contact this is. An incident and a breach go through the behaviour,
# our own handling, needs and measures; the others have questions, outcome and documents of their own.
INCIDENT, REVIEW, DISPUTE = "incident", "review", "dispute"
INFORMATION_REQUEST, REPRESENTATIVE, NEW_INFORMATION_JOURNEY = "information_request", "representative", "new_information"
JOURNEYS = (INCIDENT, BREACH, REVIEW, DISPUTE, INFORMATION_REQUEST, REPRESENTATIVE, NEW_INFORMATION_JOURNEY)
BEHAVIOUR_JOURNEYS = (INCIDENT, BREACH)  # the journeys that decide about behaviour
# What is in place for the person (breached, reviewed, disputed, arrangement).
WARNING_IN_PLACE, STRATEGY_IN_PLACE, NOTHING_IN_PLACE = "warning", "strategy", "none"
# A breach's history is what it breaks: each maps to a ceiling rule.
BREACHED_RULES_KEYS = (WARNING_IN_PLACE, STRATEGY_IN_PLACE)
DECIDED, DECIDED_BY, REVIEW_DUE, TERMS = "decided", "decided_by", "review_due", "terms"
LIFT, KEEP, RELAX, TIGHTEN = "lift", "keep", "relax", "tighten"
YES, NO, NOT_SURE = "yes", "no", "not_sure"
PERSONAL_CONTACT = "personal_contact"
NO_CHANNEL = "none"  # adjustment_channel: no reasonable adjustment relies on one channel

REFERENCE, ACCOUNT, DATE = "reference", "account", "date"

# Where a question's options come from when they depend on earlier answers (`options_from`).
FROM_MEASURES, FROM_CHECKLIST = "measures", "checklist"
OPTION_SOURCES = (FROM_MEASURES, FROM_CHECKLIST)


@dataclass(frozen=True)
class NodeNeed:
    """A question the code reads by id."""

    id: str
    kind: str  # single, multi or details
    means: str  # what the code does with the answer, for the person editing flow.toml
    options: tuple[str, ...] = ()  # option ids the code reads
    exhaustive: bool = False  # the options must be exactly `options`: the code maps each one
    exclusive: str = ""  # multi: the meaning of the one option flagged `exclusive = true`
    channels: bool = False  # every option id must be a channel id (plus `options`)
    fields: tuple[tuple[str, str], ...] = ()  # details: (field id, kind)
    options_from: str | None = None
    always: bool = False  # answered on every complete walk: the outcome cannot be decided without it


NODES: tuple[NodeNeed, ...] = (
    NodeNeed(SAFETY, "multi", "violence, threats and stalking: safety first, the gravest kind of abuse",
             options=(VIOLENCE_USED, VIOLENCE_THREATENED, STALKING, PERSON_AT_RISK),
             exclusive="nothing of the kind happened", always=True),
    NodeNeed(JOURNEY, "single", "what kind of contact this is: each option is a journey with its own questions, outcome and documents",
             options=JOURNEYS, exhaustive=True, always=True),
    NodeNeed(BREACHED, "single", "what a breach breaks: a warning (the after-warning rule) or a strategy (the breach rule)",
             options=BREACHED_RULES_KEYS, exhaustive=True),
    NodeNeed(REVIEWED, "single", "what a review is of", options=(WARNING_IN_PLACE, STRATEGY_IN_PLACE), exhaustive=True),
    NodeNeed(DISPUTED, "single", "what a dispute is about", options=(WARNING_IN_PLACE, STRATEGY_IN_PLACE), exhaustive=True),
    NodeNeed(ARRANGEMENT, "single", "what is in place for the person, whatever this contact is",
             options=(NOTHING_IN_PLACE, WARNING_IN_PLACE, STRATEGY_IN_PLACE, NOT_KNOWN), exhaustive=True),
    NodeNeed(ARRANGEMENT_DETAILS, "details", "when the warning or strategy was decided, by whom, when its review is due",
             fields=((DECIDED, "date"), (DECIDED_BY, "text"), (REVIEW_DUE, "date"), (TERMS, "textarea"))),
    NodeNeed(REQUEST_KIND, "single", "which law an information request is dealt with under",
             options=("foi", "subject_access", "other"), exhaustive=True),
    NodeNeed(REVIEW_OUTCOME, "single", "what a review decides: lifting it ends the reviews, anything else sets the next",
             options=(LIFT, KEEP, RELAX, TIGHTEN), exhaustive=True),
    NodeNeed(CHANNEL, "single", "the channel of this contact: which in-contact measures exist", channels=True),
    NodeNeed(MATTER, "single", "where the matter stands: which measures are possible, and signposting",
             options=MATTER_STATES, exhaustive=True),
    NodeNeed(HISTORY, "single", "isolated or a pattern: each option maps to one ceiling rule in rules.toml",
             options=(FIRST, REPEATED, NOT_KNOWN), exhaustive=True),
    NodeNeed(NEW_INFORMATION, "single", "new information holds back any restriction until it is considered",
             options=(YES, NO, NOT_SURE), exhaustive=True),
    NodeNeed(BEHAVIOUR, "multi", "the behaviours, each counted in its family (`family` on every option but the exclusive one)",
             options=(PERSONAL_CONTACT,), exclusive="none of the listed behaviours"),
    NodeNeed(NEEDS, "multi", "the person's needs: adjustments, and an accessible notice",
             exclusive="no needs known"),
    NodeNeed(ADJUSTMENT_CHANNEL, "single", "the channel a reasonable adjustment relies on, which no restriction may remove",
             options=(NO_CHANNEL,), channels=True),
    NodeNeed(MEASURES, "multi", "the measures proposed, offered from the ladder in measures.toml",
             exclusive="no further action", options_from=FROM_MEASURES),
    NodeNeed(CHECKLIST, "multi", "the authoriser's checklist, offered from the office's list",
             exclusive="none of these yet", options_from=FROM_CHECKLIST),
    NodeNeed(DETAILS, "details", "the facts for the record note",
             fields=((REFERENCE, "text"), (ACCOUNT, "textarea"), (DATE, "date")), always=True),
)

# Underlying-cause questions are found by their flag `cause = true`: single choice, and every
# option says with `met = true/false` whether the office's own handling meets that duty.
CAUSE_FLAG = "cause"

# --- behaviour families (flow.toml [families.*]) -------------------------------------------------------

AGGRESSIVE = "aggressive"  # safety items count here; abuse may be reported to the police
PERSISTENT = "persistent"  # persistence is contact without new information: the note says so
FAMILIES = {
    AGGRESSIVE: "violence, threats and stalking count here, and abuse may go to the police",
    PERSISTENT: "the note checks persistence against new information",
}

# --- measures (measures.toml) ------------------------------------------------------------------

WRITTEN_WARNING = "written_warning"  # choosing it drafts the warning letter
ONE_CHANNEL = "one_channel"  # the one channel kept must be the one an adjustment relies on
READ_AND_FILE = "read_and_file"  # proposing it brings the office's own read-and-file rule
MEASURE_IDS = {
    WRITTEN_WARNING: "choosing it drafts the warning letter",
    ONE_CHANNEL: "the channel it keeps must be the one a reasonable adjustment relies on",
    READ_AND_FILE: "proposing it states the office's own rule for reading and filing (offices/*.toml [read_and_file])",
}

# --- roles: who decides (measures' `authoriser`; every office profile names each) ------------------

ROLE_STAFF, ROLE_POLICE = "staff", "police"
ROLES = {
    ROLE_STAFF: "the member of staff, alone",
    "warning": "whoever agrees a written warning",
    "restriction": "whoever authorises a restriction",
    "escalation": "whoever decides after a breach",
    ROLE_POLICE: "whoever reports to the police",
}

# --- lists.toml -----------------------------------------------------------------------------------

# Immediate actions: the code chooses among exactly these, in `rules.immediate_actions`.
NO_SANCTION, WELFARE, PRIVACY_ONLINE = "no_sanction", "welfare", "privacy_online"
AT_RISK_ACTION, CHECK_FILE, CHECK_NEW_INFORMATION = "person_at_risk", "check_file", "check_new_information"
SAFEGUARDING_SHARING, SHARING_CONSENT = "safeguarding_sharing", "sharing_consent"
AT_RISK_ACTIONS = (AT_RISK_ACTION, SAFEGUARDING_SHARING, SHARING_CONSENT)  # in this order, first of all
TELL_MANAGER, RECORD_TODAY, CONSIDER_NEW_INFORMATION = "tell_manager", "record_today", "consider_new_information"
SIGNPOST_REMIT, ISOLATED_NO_FURTHER = "signpost_remit", "isolated_no_further"
ACTIONS = {
    AT_RISK_ACTION: "the person may be at risk (always first)",
    SAFEGUARDING_SHARING: "the person may be at risk (right after the first)",
    SHARING_CONSENT: "the person may be at risk (third: who agrees sharing without consent)",
    CHECK_FILE: "the history or the state of the matter is not known",
    CHECK_NEW_INFORMATION: "it is not sure whether the person brought anything new",
    NO_SANCTION: "nothing unacceptable happened",
    WELFARE: "a safety item, or aggressive behaviour",
    PRIVACY_ONLINE: "stalking, or contact with staff in a personal capacity",
    TELL_MANAGER: "anything unacceptable",
    RECORD_TODAY: "anything unacceptable",
    CONSIDER_NEW_INFORMATION: "new information was brought",
    SIGNPOST_REMIT: "the matter is outside the office's remit",
    ISOLATED_NO_FURTHER: "a first, isolated incident without a safety item, where the police are not told as a rule",
}
# Two more actions come from the office profile, in the office's own terms: how to end the
# contact (any safety item or aggressive behaviour) and what happens about the police.
END_CONTACT, POLICE = "end_contact", "police"
# The office's rule on restricting before any warning, given as a reason of the safety ceiling.
WITHOUT_WARNING = "without_warning"

# Kinds of behaviour the police may be told of (options' `police`), gravest first, and what an
# office's policy may do about each (offices/*.toml [police.<kind>] rule).
POLICE_KINDS = ("violence", "threats", "abuse")
REPORTED = ("always", "will")  # the rules under which the police are told, not just may be
POLICE_RULES = {
    "always": "always reported",
    "will": "reported as a rule",
    "may": "may be reported",
    "judgement": "reported only if it crosses a threshold the policy names",
    "silent": "the policy does not mention the police",
}

# The letter element added when the person has a known need (Equality Act 2010), and the
# warning-letter element that carries the families' requests and what should change.
ACCESSIBLE_FORMAT = "accessible_format"
WARNING_CHANGE = "change"
# The checklist point an office's own no-warning route (offices/*.toml [without_warning]) waives.
CHANCE_TO_CHANGE = "chance_to_change"
# How a notice item reaches the letter: a paragraph to the person, a reminder to staff, or the
# letter's own body (the reasons and the list of restrictions).
NOTICE_LETTER, NOTICE_STAFF, NOTICE_IN_BODY = "letter", "staff", "in_body"
NOTICE_PARTS = (NOTICE_LETTER, NOTICE_STAFF, NOTICE_IN_BODY)
# What a notice item's paragraph may say about the case (none is required).
NOTICE_FIELDS = ("review_date", "dispute")
# The letters built from elements: lists.toml table -> the profile table choosing them.
LETTERS = {"notice": "notice", "warning_letter": "warning_letter"}

# --- rules.toml: the ceiling rules --------------------------------------------------------------------

# Which rule applies is decided in `rules.ceiling`; how far up the ladder it allows (its `tier`)
# and its words are content. `None`: the rule allows no measure and has no tier.
RULE_NOTHING, RULE_SAFETY, RULE_FIRST_AGGRESSIVE = "nothing", "safety", "first_aggressive"
RULE_FIRST, RULE_REPEATED, RULE_AFTER_WARNING, RULE_BREACH = "first", "repeated", "after_warning", "breach"
CAP_CAUSES, CAP_NEW_INFORMATION, CAP_AT_RISK = "cap_causes", "cap_new_information", "cap_at_risk"
RULE_HISTORY_NOT_KNOWN = "history_not_known"
CEILING = {
    RULE_NOTHING: None,
    RULE_SAFETY: "a safety item on a first or repeated incident",
    RULE_FIRST_AGGRESSIVE: "a first, isolated incident of aggressive behaviour",
    RULE_FIRST: "a first, isolated incident of any other kind",
    RULE_REPEATED: "a repeated incident, nobody having told the person what must change",
    RULE_AFTER_WARNING: "the behaviour carried on after a warning",
    RULE_BREACH: "a contact strategy already in place was broken",
    CAP_CAUSES: "a cap while the office's own handling falls short",
    CAP_NEW_INFORMATION: "a cap while new information waits to be considered",
    CAP_AT_RISK: "a cap while the person may be at risk: no warning or restriction answers it",
    RULE_HISTORY_NOT_KNOWN: "the history is not known yet",
}
# Each history option's rule, and each breach's: the contract makes the options exactly these keys.
# The question a journey asks about itself: its handling (journeys.toml `only`) may depend on the answer.
JOURNEY_QUESTION = {BREACH: BREACHED, INFORMATION_REQUEST: REQUEST_KIND, REPRESENTATIVE: REPRESENTATIVE_KIND,
                    NEW_INFORMATION_JOURNEY: NEW_KIND, REVIEW: REVIEW_REASON}
HISTORY_RULES = {FIRST: RULE_FIRST, REPEATED: RULE_REPEATED, NOT_KNOWN: RULE_HISTORY_NOT_KNOWN}
BREACHED_RULES = {WARNING_IN_PLACE: RULE_AFTER_WARNING, STRATEGY_IN_PLACE: RULE_BREACH}

# --- documents: the record note and the letters ---------------------------------------------------

NOTE, WARNING_LETTER_DOC, STRATEGY_NOTICE_DOC = "note", "warning_letter", "strategy_notice"
REASONING_DOC = "reasoning"  # the record note's appendix: every answer and line with its basis
DISPUTE_DOC, REVIEW_DOC, BREACH_REMINDER_DOC = "dispute_acknowledgement", "review_outcome", "breach_reminder"
DOCUMENTS = (NOTE, REASONING_DOC, WARNING_LETTER_DOC, STRATEGY_NOTICE_DOC, DISPUTE_DOC, REVIEW_DOC, BREACH_REMINDER_DOC)


@dataclass(frozen=True)
class Text:
    """A sentence (or a list of paragraphs, `many`) the code shows, with the placeholders it fills.

    Every placeholder named here must appear in the text (a note that dropped the date would be
    wrong), and the text may use no other: `{date}` is filled, anything else in braces is an error.
    """

    key: str
    fields: tuple[str, ...] = ()
    many: bool = False


def _texts(*entries: Text) -> dict[str, Text]:
    return {t.key: t for t in entries}


T = Text
TEXTS: dict[str, Text] = _texts(
    # rules.toml: reasons a measure is withheld, why restrictions wait, the review basis
    T("withheld.not_in_policy", ("office",)),
    T("withheld.too_far"),
    T("withheld.needs_concluded"),
    T("withheld.not_while_open"),
    T("withheld.removes_adjusted", ("channel",)),
    T("wait.causes"),
    T("wait.new_information"),
    T("review.fixed", ("review", "months")),
    T("review.fallback", ("review", "months")),
    T("review.none"),
    T("keep_channel.one_channel", ("channel",)), T("keep_channel.read_and_file", ("office", "rule")),
    T("basis.other_offices", ("office", "sources")), T("basis.source", ("name", "cites")),
    # documents.toml: the record note
    T("note.title"), T("note.short"), T("note.filename"),
    # the short record note (summary.py): facts and decisions, in the record's voice
    T("summary.title"), T("summary.short"), T("summary.filename"),
    T("summary.case_title"), T("summary.case", ("date", "reference", "office")), T("summary.no_reference"),
    T("summary.account_title"), T("summary.account_empty"), T("summary.assessment_title"), T("summary.contact_title"),
    T("summary.decision_title"), T("summary.next_title"), T("summary.policy_title"), T("summary.made_title"),
    T("summary.made", ("version",)), T("summary.policy_item", ("office", "policy", "clauses")),
    T("summary.policy_other"), T("summary.date_unknown"),
    T("summary.breaks", ("in_place", "date")), T("summary.safety_items", ("items",)), T("summary.not_unacceptable"),
    T("summary.classified", ("families",)), T("summary.shortcomings", ("items",)), T("summary.no_shortcomings"),
    T("summary.needs_known", ("items",)), T("summary.no_needs"), T("summary.protected", ("channel",)),
    T("summary.new_brought"), T("summary.measures", ("items",)), T("summary.no_measure"),
    T("summary.authoriser", ("who",)), T("summary.decided_by", ("who",)), T("summary.checklist_ready"),
    T("summary.checklist_not_ready"), T("summary.waits"), T("summary.police", ("route",)), T("summary.warning_letter"),
    T("summary.notice"), T("summary.review", ("date",)), T("summary.nothing_next"),
    T("summary.contact", ("journey",)), T("summary.detail", ("detail",)), T("summary.in_place", ("in_place", "date", "by")),
    T("summary.in_place_by", ("who",)), T("summary.review_due", ("date",)), T("summary.overdue", ("date",)),
    T("summary.review_decision", ("decision",)), T("summary.dispute_route", ("route",)), T("summary.handled", ("journey",)),
    T("summary.next_review", ("date",)), T("summary.lifted"),
    T("note.basis.practice", ("reason",)), T("note.basis.see", ("cites",)),

    T("note.case.title"), T("note.case.date", ("date",)), T("note.case.office", ("office", "profile")),
    T("note.case.reference", ("reference",)), T("note.case.no_reference"),
    T("note.account.title"), T("note.account.empty"),
    T("note.context.title"), T("note.context.channel", ("channel",)), T("note.context.matter", ("matter",)),
    T("note.context.history", ("history",)), T("note.context.new_information", ("answer",)),
    T("note.context.yes"), T("note.context.no"),
    T("note.safety.title"), T("note.safety.none"),
    T("note.behaviour.title"), T("note.behaviour.none"), T("note.behaviour.persistence_caveat"),
    T("note.behaviour.item", ("behaviour", "family")), T("note.behaviour.family", ("family",)),
    T("note.actions.title"), T("note.actions.police_route", ("route",)),
    T("note.causes.title"), T("note.causes.item", ("question", "answer")),
    T("note.remedies.title"), T("note.remedies.none"),
    T("note.wait.title"),
    T("note.needs.title"), T("note.needs.none"), T("note.needs.adjustment", ("remedy",)), T("note.needs.keep", ("channel",)),
    T("note.proportionality.title"), T("note.proportionality.top", ("tier",)),
    T("note.measures.title"), T("note.measures.none"), T("note.measures.item", ("measure", "why", "decided_by")),
    T("note.withheld.title"), T("note.withheld.item", ("measure", "why")),
    T("note.authorisation.title"), T("note.authorisation.nothing"), T("note.authorisation.staff_only"),
    T("note.authorisation.needed", ("who",)), T("note.authorisation.ready"), T("note.authorisation.not_ready"),
    T("note.notice.title"), T("note.notice.intro", ("person",)), T("note.notice.warning_only"),
    T("note.safeguards.title"),
    T("note.dispute.title"),
    T("note.review.title"), T("note.review.date", ("date",)), T("note.review.no_date"), T("note.review.basis", ("basis",)),
    T("note.references.title"), T("note.references.item", ("ref", "title", "office", "file")),
    T("note.produced.title"), T("note.produced.version", ("version", "hash")), T("note.produced.disclaimer"),
    T("note.contact.title"), T("note.contact.journey", ("journey",)), T("note.contact.detail", ("detail",)),
    T("note.contact.in_place", ("in_place",)), T("note.contact.decided", ("date",)), T("note.contact.decided_by", ("who",)),
    T("note.contact.terms", ("terms",)), T("note.contact.review_due", ("date",)), T("note.contact.overdue", ("date",)),
    T("note.handling.title"), T("note.handling.route", ("route",)),
    T("note.review_decision.title"), T("note.review_decision.since", ("since",)), T("note.review_decision.decision", ("decision",)),
    T("note.review_decision.decider", ("who",)), T("note.review_decision.decider_why"), T("note.review_decision.next", ("date", "basis")), T("note.review_decision.lifted"),
    T("note.breach.title"), T("note.breach.in_place", ("in_place", "date")),
    # documents.toml: the letters
    T("letters.dispute_placeholder"), T("letters.heading", many=True), T("letters.reference", ("reference",)), T("letters.no_reference"),
    T("letters.sign_off", many=True),
    T("letters.warning.title"), T("letters.warning.short"), T("letters.warning.filename"),
    T("letters.warning.opening", many=True), T("letters.warning.closing", many=True),
    T("letters.strategy.title"), T("letters.strategy.short"), T("letters.strategy.filename"),
    T("letters.strategy.opening", many=True), T("letters.strategy.why", ("behaviour",)),
    T("letters.strategy.from_now"), T("letters.strategy.before_sending"), T("letters.strategy.check"),
    T("letters.dispute.title"), T("letters.dispute.short"), T("letters.dispute.filename"),
    T("letters.dispute.opening", ("decided",), many=True), T("letters.dispute.route", ("route",)),
    T("letters.dispute.closing", many=True),
    T("letters.review.title"), T("letters.review.short"), T("letters.review.filename"),
    T("letters.review.opening", ("decided",), many=True), T("letters.review.lift"), T("letters.review.keep"),
    T("letters.review.relax"), T("letters.review.tighten"), T("letters.review.next", ("next_review",)),
    T("letters.review.dispute", ("route",)),
    T("letters.breach_reminder.title"), T("letters.breach_reminder.short"), T("letters.breach_reminder.filename"),
    T("letters.breach_reminder.opening", ("decided",), many=True), T("letters.breach_reminder.body", many=True),
    # screens.toml: the result page
    T("result.heading"), T("result.nothing_title"), T("result.nothing"), T("result.wait_title"),
    T("result.do_now"), T("result.police_route", ("route",)), T("result.remedies_title"), T("result.remedies_link"),
    T("result.measures_title"), T("result.why"), T("result.decided_by"), T("result.handbook", ("tier",)),
    T("result.sources"), T("result.ceiling_title"), T("result.before_title"),
    T("result.checklist_ready", ("date",)), T("result.checklist_not_ready", ("date",)), T("result.notice_link"), T("result.notice_page"),
    T("result.overdue_title"), T("result.now_title"), T("result.now_intro"), T("result.carry_on"), T("result.practice_stamp"), T("result.word_download"), T("result.reminder_title"), T("result.reminder_intro"),
    T("result.reminder_download"), T("result.reminder_summary", ("reference",)),
    T("result.reminder_description", ("date", "reference")), T("result.record_title"), T("result.record_intro"), T("result.record_download"),
    T("result.record_show"), T("result.carried", ("date", "reference")), T("result.documents_title"), T("result.documents_intro"),
    T("result.practice", ("reason",)), T("result.see", ("cites",)),
)
del T

# Where each group of words lives (the first part of a text's key), in sign-off order.
TEXT_HOMES = {
    "withheld": "rules.toml", "wait": "rules.toml", "review": "rules.toml", "keep_channel": "rules.toml",
    "basis": "rules.toml",
    "note": "documents.toml", "letters": "documents.toml", "summary": "documents.toml",
    "result": "screens.toml",
}


def text_needs(prefix: str) -> dict[str, Text]:
    """The declared texts under one top-level key (e.g. 'note')."""
    return {k: t for k, t in TEXTS.items() if k.split(".", 1)[0] == prefix}


@dataclass(frozen=True)
class Expectation:
    """One line of the contract, as the sign-off page and the docs list it."""

    file: str
    key: str
    means: str
    extra: tuple[str, ...] = field(default=())


def summary() -> list[Expectation]:
    """The whole contract in words: what each content id is relied on for."""
    out = []
    for need in NODES:
        detail = []
        if need.options:
            detail.append(("exactly " if need.exhaustive else "including ") + ", ".join(need.options))
        if need.exclusive:
            detail.append(f"one exclusive option meaning {need.exclusive}")
        if need.channels:
            detail.append("options are channel ids")
        if need.fields:
            detail.append("fields " + ", ".join(f"{f} ({k})" for f, k in need.fields))
        if need.always:
            detail.append("asked on every walk")
        out.append(Expectation("flow.toml", f"nodes.{need.id}", f"{need.kind}: {need.means}", tuple(detail)))
    out.append(Expectation("flow.toml", f"nodes.*.{CAUSE_FLAG}", "underlying-cause questions: single choice, every option says `met`"))
    out += [Expectation("flow.toml", f"families.{k}", v) for k, v in FAMILIES.items()]
    out += [Expectation("measures.toml", f"measures[id={k}]", v) for k, v in MEASURE_IDS.items()]
    out += [Expectation("lists.toml", f"actions[id={k}]", f"given when: {v}") for k, v in ACTIONS.items()]
    out.append(Expectation("lists.toml", f"notice[id={ACCESSIBLE_FORMAT}]", "added when the person has a known need"))
    out.append(Expectation("lists.toml", f"warning_letter[id={WARNING_CHANGE}]", "carries what the person should change"))
    out += [Expectation("rules.toml", f"ceiling.{k}", v or "nothing is unacceptable: no measure") for k, v in CEILING.items()]
    out += [Expectation("offices/*.toml", f"authorisers.{k}", v) for k, v in ROLES.items()]
    return out


# --- the check, run by content.load_flow before the routes are checked ---------------------------------


def check(flow: Flow) -> None:
    """Raise ContentError at the first place the content breaks the contract, either way round."""
    for need in NODES:
        _check_node(flow, need)
    for nid, node in flow.nodes.items():
        _check_cause_flag(nid, node)
    behaviour = flow.nodes[BEHAVIOUR]
    for i, option in enumerate(behaviour.options):
        if not option.exclusive and option.family is None:
            raise ContentError("flow.toml", f"nodes.{BEHAVIOUR}.options[{i}].family",
                               f"is missing: every behaviour ({option.id!r}) counts in one family of [families]")
    for fid, means in FAMILIES.items():
        if fid not in flow.families:
            raise ContentError("flow.toml", f"families.{fid}", f"is missing: the code relies on it ({means})")
    for mid, means in MEASURE_IDS.items():
        if mid not in flow.measures:
            raise ContentError("measures.toml", "measures", f"has no measure with id {mid!r}: the code relies on it ({means})")
    _check_same("lists.toml", "actions", set(flow.actions), ACTIONS, "immediate action",
                "the code chooses the actions for a case (rules.immediate_actions)")
    if ACCESSIBLE_FORMAT not in flow.notice:
        raise ContentError("lists.toml", "notice", f"has no element with id {ACCESSIBLE_FORMAT!r}: the code adds it when the person has a known need")
    if CHANCE_TO_CHANGE not in flow.checklist:
        raise ContentError("lists.toml", "checklist", f"has no point {CHANCE_TO_CHANGE!r}: the code waives it where a policy restricts before any warning")
    if WARNING_CHANGE not in flow.warning_letter:
        raise ContentError("lists.toml", "warning_letter", f"has no element with id {WARNING_CHANGE!r}: the code puts the person's requests with it")
    for nid, node in flow.nodes.items():
        for i, option in enumerate(node.options):
            if option.police is not None and option.police not in POLICE_KINDS:
                raise ContentError("flow.toml", f"nodes.{nid}.options[{i}].police",
                                   f"{option.police!r} is not one of {', '.join(POLICE_KINDS)}")
    journeys = {j: "its handling" for j in JOURNEYS if j != INCIDENT}
    _check_same("journeys.toml", "", set(flow.handling), journeys, "journey",
                "the record note lists how each journey but an incident is handled")
    for journey, items in flow.handling.items():
        node = JOURNEY_QUESTION.get(journey)
        answers = {o.id for o in flow.nodes[node].options} if node in flow.nodes else set()
        for i, item in enumerate(items):
            for value in item.only:
                if value not in answers:
                    raise ContentError("journeys.toml", f"{journey}[{i}].only", f"{value!r} is not an answer to {node or 'the journey'}'s question")
    _check_same("rules.toml", "ceiling", set(flow.ceiling), CEILING, "ceiling rule",
                "the code decides which rule applies (rules.ceiling)")
    for rid, rule in flow.ceiling.items():
        if CEILING[rid] is None and rule.tier is not None:
            raise ContentError("rules.toml", f"ceiling.{rid}.tier", "must be left out: this rule allows no measure at all")
        if CEILING[rid] is not None and rule.tier is None:
            raise ContentError("rules.toml", f"ceiling.{rid}.tier", f"is missing: say how far up the ladder {CEILING[rid]} may go")


def _check_same(file: str, key: str, found: set[str], declared: dict, what: str, why: str) -> None:
    missing = [k for k in declared if k not in found]
    if missing:
        raise ContentError(file, key, f"has no {what} {missing[0]!r}: {why}, and needs every one of {', '.join(declared)}")
    extra = sorted(found - set(declared))
    if extra:
        raise ContentError(file, f"{key}.{extra[0]}" if key else extra[0], f"is not a {what} the code can give: {why}, from exactly {', '.join(declared)}")


def _check_node(flow: Flow, need: NodeNeed) -> None:
    key = f"nodes.{need.id}"
    node = flow.nodes.get(need.id)
    if node is None:
        raise ContentError("flow.toml", key, f"is missing: the code reads this question ({need.kind}: {need.means})")
    if node.kind != need.kind:
        raise ContentError("flow.toml", f"{key}.kind", f"is {node.kind!r}, but the code reads this question as {need.kind!r} ({need.means})")
    if node.options_from != need.options_from:
        raise ContentError("flow.toml", f"{key}.options_from",
                           f"must be {need.options_from!r}" if need.options_from else "must be left out: the code lists this question's own options")
    ids = [o.id for o in node.options]
    for oid in need.options:
        if oid not in ids:
            raise ContentError("flow.toml", f"{key}.options", f"has no option {oid!r}: the code relies on it ({need.means})")
    for i, option in enumerate(node.options):
        where = f"{key}.options[{i}].id"
        if option.exclusive or option.id in need.options:
            continue
        if need.exhaustive:
            raise ContentError("flow.toml", where, f"{option.id!r} is not an option the code handles: the options here must be exactly "
                               f"{', '.join(need.options)} ({need.means})")
        if need.channels and option.id not in flow.channels:
            raise ContentError("flow.toml", where, f"{option.id!r} is not a channel in [channels]: the code reads this answer as a channel")
    exclusive = [o.id for o in node.options if o.exclusive]
    if need.exclusive and len(exclusive) != 1:
        raise ContentError("flow.toml", f"{key}.options", f"needs exactly one option with exclusive = true, meaning {need.exclusive} "
                           f"(found {len(exclusive)}); the code finds it by that flag")
    if not need.exclusive and exclusive:
        raise ContentError("flow.toml", f"{key}.options", f"{exclusive[0]!r} is exclusive, but the code has no use for an exclusive option here")
    fields = {f.id: f.kind for f in node.fields}
    for fid, kind in need.fields:
        if fields.get(fid) != kind:
            raise ContentError("flow.toml", f"{key}.fields", f"needs a field {fid!r} of kind {kind!r}: the code reads it for the record note")
    extra = sorted(set(fields) - {fid for fid, _ in need.fields})
    if extra:
        raise ContentError("flow.toml", f"{key}.fields", f"{extra[0]!r} is not a field the code reads (it reads {', '.join(f for f, _ in need.fields)})")


def _check_cause_flag(nid: str, node) -> None:
    key = f"nodes.{nid}"
    if not node.cause:
        for i, option in enumerate(node.options):
            if option.met is not None:
                raise ContentError("flow.toml", f"{key}.options[{i}].met",
                                   f"only an underlying-cause question ({CAUSE_FLAG} = true) has options that say whether a duty is met")
        return
    if node.kind != "single":
        raise ContentError("flow.toml", f"{key}.kind", "an underlying-cause question is single choice")
    for i, option in enumerate(node.options):
        if option.met is None:
            raise ContentError("flow.toml", f"{key}.options[{i}].met",
                               "is missing: every answer to an underlying-cause question says whether the duty is met (true or false)")
