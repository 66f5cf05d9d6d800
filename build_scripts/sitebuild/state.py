"""The content every build step reads, loaded and checked once per build."""

from __future__ import annotations

from dataclasses import dataclass, field

from decision_aid.content import ContentError, load_content
from decision_aid.model import Flow, Profile, Register
from decision_aid.practice import Scenario, load_practice

from . import BuildError

DEFAULT_OFFICE = "generic"


@dataclass
class Build:
    flow: Flow
    profiles: dict[str, Profile]
    register: Register
    scenarios: dict[str, Scenario]
    office: Profile
    cited_on: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # clause -> [(page src, title)]

    @property
    def offices(self) -> list[Profile]:
        """The five offices in policy order, then the generic profile, which sums them up."""
        return sorted(self.profiles.values(), key=lambda p: (p.source == "all", p.source, p.id))


def load(office_id: str) -> Build:
    office_id = office_id.strip() or DEFAULT_OFFICE
    try:
        content = load_content()
        scenarios = load_practice(content.flow, content.profiles)
    except ContentError as error:
        raise BuildError(f"handbook: the content files do not load: {error}") from None
    if office_id not in content.profiles:
        known = ", ".join(sorted(content.profiles))
        raise BuildError(f"handbook: OFFICE={office_id!r} is not a known office profile. Known offices: {known}.")
    return Build(content.flow, content.profiles, content.register, scenarios, content.profiles[office_id])
