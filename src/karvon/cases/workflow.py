"""The procedures as transition tables: states, the steps between them and what each step needs (no ORM)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class CaseKind(StrEnum):
    ASYLUM = "asylum"
    STATELESSNESS = "statelessness"
    TRAFFICKING = "trafficking"
    CHILD_PROTECTION = "child_protection"
    RETURN = "return"


CASE_KIND_LABELS: dict[CaseKind, Promise] = {
    CaseKind.ASYLUM: _("Refugee status determination"),
    CaseKind.STATELESSNESS: _("Statelessness determination"),
    CaseKind.TRAFFICKING: _("Trafficking protection"),
    CaseKind.CHILD_PROTECTION: _("Child protection"),
    CaseKind.RETURN: _("Assisted voluntary return"),
}


class Decision(StrEnum):
    """The outcome of a decision as UNHCR's asylum statistics count it."""

    RECOGNISED = "recognised"
    COMPLEMENTARY = "complementary"
    REJECTED = "rejected"
    OTHERWISE_CLOSED = "otherwise_closed"


class Detail(StrEnum):
    """Facts a step must carry in its details, checked by `transition_check`."""

    INTERVIEW_AT = "interview_at"
    EXPLOITATION = "exploitation"
    MEANS_OF_CONTROL = "means_of_control"
    CARE_ARRANGEMENT = "care_arrangement"
    PARTNER = "partner"
    DESTINATION = "destination"


@dataclass(frozen=True)
class State:
    code: str
    label: Promise
    closed: bool = False
    # A status the person holds while the case is here, used by presence and certificates.
    protection: str = ""


@dataclass(frozen=True)
class Transition:
    name: str
    label: Promise
    sources: frozenset[str]
    # Empty target: the step is recorded but the case stays where it is (a contact, a care arrangement).
    target: str = ""
    requires: frozenset[Detail] = frozenset()
    decision: Decision | None = None
    # "first" for a first-instance decision, "appeal" for a decision on appeal; decides the decision level.
    instance: str = ""
    lodges_appeal: bool = False


@dataclass(frozen=True)
class Workflow:
    kind: CaseKind
    initial: str
    states: Mapping[str, State]
    transitions: Mapping[str, Transition]

    def state(self, code: str) -> State:
        return self.states[code]


# Statuses a case gives the person (protection field of a state).
ASYLUM_SEEKER = "asylum_seeker"
REFUGEE = "refugee"
COMPLEMENTARY_PROTECTION = "complementary_protection"
HUMANITARIAN_PROTECTION = "humanitarian_protection"
STATELESSNESS_APPLICANT = "statelessness_applicant"
STATELESS = "stateless"
TRAFFICKING_VICTIM = "trafficking_victim"
UNACCOMPANIED_CHILD = "unaccompanied_child"

PROTECTION_LABELS: dict[str, Promise] = {
    ASYLUM_SEEKER: _("Asylum-seeker"),
    REFUGEE: _("Refugee"),
    COMPLEMENTARY_PROTECTION: _("Complementary protection"),
    HUMANITARIAN_PROTECTION: _("Humanitarian protection"),
    STATELESSNESS_APPLICANT: _("Applicant for statelessness status"),
    STATELESS: _("Stateless person"),
    TRAFFICKING_VICTIM: _("Victim of trafficking"),
    UNACCOMPANIED_CHILD: _("Unaccompanied or separated child"),
}


def _states(*states: State) -> dict[str, State]:
    return {s.code: s for s in states}


def _transitions(*transitions: Transition) -> dict[str, Transition]:
    return {t.name: t for t in transitions}


def _f(*codes: str) -> frozenset[str]:
    return frozenset(codes)


# Durable solutions and departures close a case from the states where they can happen.
def _solutions(protected: frozenset[str], any_open: frozenset[str]) -> tuple[Transition, ...]:
    steps = (
        Transition("voluntary_repatriation", _("Voluntary repatriation"), protected, "repatriated"),
        Transition("resettlement", _("Resettled to a third country"), protected, "resettled"),
        Transition("naturalisation", _("Naturalised (local integration)"), protected, "naturalised"),
        Transition(
            "assisted_return",
            _("Assisted voluntary return"),
            any_open | protected,
            "returned",
            requires=frozenset({Detail.DESTINATION}),
        ),
        Transition("departure", _("Left the country"), any_open | protected, "departed"),
    )
    # A procedure without a protected status has no repatriation, resettlement or naturalisation of its own.
    return tuple(step for step in steps if step.sources)


SOLUTION_STATES = (
    State("repatriated", _("Voluntarily repatriated"), closed=True),
    State("resettled", _("Resettled"), closed=True),
    State("naturalised", _("Naturalised"), closed=True),
    State("returned", _("Returned with assistance"), closed=True),
    State("departed", _("Departed"), closed=True),
)
DEPARTURE_STATES = SOLUTION_STATES[3:]


# Both determination procedures begin alike: an application lodged and registered, an interview scheduled
# (and perhaps moved) and held.
def _intake_states(protection: str) -> tuple[State, ...]:
    return (
        State("lodged", _("Application lodged"), protection=protection),
        State("registered", _("Application registered"), protection=protection),
        State("interview_scheduled", _("Interview scheduled"), protection=protection),
        State("interviewed", _("Interviewed"), protection=protection),
    )


INTAKE_STEPS = (
    Transition("register_application", _("Register the application"), _f("lodged"), "registered"),
    Transition(
        "schedule_interview",
        _("Schedule the interview"),
        _f("registered"),
        "interview_scheduled",
        requires=frozenset({Detail.INTERVIEW_AT}),
    ),
    Transition(
        "reschedule_interview",
        _("Reschedule the interview"),
        _f("interview_scheduled"),
        requires=frozenset({Detail.INTERVIEW_AT}),
    ),
    Transition("record_interview", _("Record the interview"), _f("interview_scheduled"), "interviewed"),
)

_ASYLUM_PENDING = _f(
    "lodged", "registered", "interview_scheduled", "interviewed", "assessed", "appeal_lodged"
)
_ASYLUM_NEGATIVE = _f("rejected", "excluded", "appeal_rejected")
_ASYLUM_PROTECTED = _f("recognised", "complementary_protection", "humanitarian_protection")

ASYLUM = Workflow(
    kind=CaseKind.ASYLUM,
    initial="lodged",
    states=_states(
        *_intake_states(ASYLUM_SEEKER),
        State("assessed", _("Assessed, awaiting decision"), protection=ASYLUM_SEEKER),
        State("recognised", _("Recognised as a Convention refugee"), protection=REFUGEE),
        State("complementary_protection", _("Complementary protection"), protection=COMPLEMENTARY_PROTECTION),
        State("humanitarian_protection", _("Humanitarian protection"), protection=HUMANITARIAN_PROTECTION),
        # Until the negative decision is final the person is still an asylum-seeker (may appeal).
        State("rejected", _("Rejected at first instance"), protection=ASYLUM_SEEKER),
        State("excluded", _("Excluded from refugee status"), protection=ASYLUM_SEEKER),
        State("appeal_lodged", _("Appeal lodged"), protection=ASYLUM_SEEKER),
        State("appeal_rejected", _("Rejection upheld on appeal"), protection=ASYLUM_SEEKER),
        State("finally_rejected", _("Finally rejected"), closed=True),
        State("withdrawn", _("Withdrawn"), closed=True),
        State("abandoned", _("Closed as abandoned"), closed=True),
        State("ceased", _("Refugee status ceased"), closed=True),
        State("cancelled", _("Refugee status cancelled"), closed=True),
        State("revoked", _("Refugee status revoked"), closed=True),
        *SOLUTION_STATES,
    ),
    transitions=_transitions(
        *INTAKE_STEPS,
        Transition("complete_assessment", _("Complete the assessment"), _f("interviewed"), "assessed"),
        Transition(
            "recognise_refugee",
            _("Recognise as a Convention refugee"),
            _f("assessed"),
            "recognised",
            decision=Decision.RECOGNISED,
            instance="first",
        ),
        Transition(
            "grant_complementary_protection",
            _("Grant complementary protection"),
            _f("assessed"),
            "complementary_protection",
            decision=Decision.COMPLEMENTARY,
            instance="first",
        ),
        Transition(
            "grant_humanitarian_protection",
            _("Grant humanitarian protection"),
            _f("assessed"),
            "humanitarian_protection",
            decision=Decision.COMPLEMENTARY,
            instance="first",
        ),
        Transition(
            "reject", _("Reject"), _f("assessed"), "rejected", decision=Decision.REJECTED, instance="first"
        ),
        Transition(
            "exclude",
            _("Exclude from refugee status"),
            _f("assessed"),
            "excluded",
            decision=Decision.REJECTED,
            instance="first",
        ),
        # Complementary or humanitarian protection can be appealed for full refugee status.
        Transition(
            "lodge_appeal",
            _("Lodge an appeal"),
            _ASYLUM_NEGATIVE | _f("complementary_protection", "humanitarian_protection"),
            "appeal_lodged",
            lodges_appeal=True,
        ),
        Transition(
            "uphold_on_appeal",
            _("Appeal dismissed: rejection upheld"),
            _f("appeal_lodged"),
            "appeal_rejected",
            decision=Decision.REJECTED,
            instance="appeal",
        ),
        Transition(
            "recognise_on_appeal",
            _("Appeal allowed: recognised as a refugee"),
            _f("appeal_lodged"),
            "recognised",
            decision=Decision.RECOGNISED,
            instance="appeal",
        ),
        Transition(
            "complementary_on_appeal",
            _("Appeal allowed: complementary protection"),
            _f("appeal_lodged"),
            "complementary_protection",
            decision=Decision.COMPLEMENTARY,
            instance="appeal",
        ),
        Transition(
            "remit_on_appeal",
            _("Appeal allowed: sent back for a new first-instance decision"),
            _f("appeal_lodged"),
            "registered",
            instance="appeal",
        ),
        Transition(
            "finalise_rejection",
            _("Rejection becomes final"),
            _ASYLUM_NEGATIVE,
            "finally_rejected",
        ),
        Transition(
            "withdraw",
            _("Application withdrawn"),
            _ASYLUM_PENDING | _ASYLUM_NEGATIVE,
            "withdrawn",
            decision=Decision.OTHERWISE_CLOSED,
        ),
        Transition(
            "close_abandoned",
            _("Close as abandoned (no contact)"),
            _ASYLUM_PENDING | _ASYLUM_NEGATIVE,
            "abandoned",
            decision=Decision.OTHERWISE_CLOSED,
        ),
        Transition("cease", _("Cessation of refugee status"), _ASYLUM_PROTECTED, "ceased"),
        Transition("cancel", _("Cancellation of refugee status"), _ASYLUM_PROTECTED, "cancelled"),
        Transition("revoke", _("Revocation of refugee status"), _ASYLUM_PROTECTED, "revoked"),
        Transition(
            "record_contact",
            _("Record contact with the applicant"),
            _ASYLUM_PENDING | _ASYLUM_NEGATIVE | _ASYLUM_PROTECTED,
        ),
        *_solutions(_ASYLUM_PROTECTED, _ASYLUM_PENDING | _ASYLUM_NEGATIVE),
    ),
)

_STATELESS_PENDING = _f("lodged", "registered", "interview_scheduled", "interviewed", "appeal_lodged")
_STATELESS_NEGATIVE = _f("rejected", "appeal_rejected")

STATELESSNESS = Workflow(
    kind=CaseKind.STATELESSNESS,
    initial="lodged",
    states=_states(
        *_intake_states(STATELESSNESS_APPLICANT),
        State("recognised_stateless", _("Recognised as a stateless person"), protection=STATELESS),
        State("rejected", _("Rejected at first instance"), protection=STATELESSNESS_APPLICANT),
        State("appeal_lodged", _("Appeal lodged"), protection=STATELESSNESS_APPLICANT),
        State("appeal_rejected", _("Rejection upheld on appeal"), protection=STATELESSNESS_APPLICANT),
        State("finally_rejected", _("Finally rejected"), closed=True),
        State("withdrawn", _("Withdrawn"), closed=True),
        State("abandoned", _("Closed as abandoned"), closed=True),
        State("cancelled", _("Statelessness status cancelled"), closed=True),
        *SOLUTION_STATES,
    ),
    transitions=_transitions(
        *INTAKE_STEPS,
        Transition(
            "recognise_stateless",
            _("Recognise as a stateless person"),
            _f("interviewed"),
            "recognised_stateless",
            decision=Decision.RECOGNISED,
            instance="first",
        ),
        Transition(
            "reject", _("Reject"), _f("interviewed"), "rejected", decision=Decision.REJECTED, instance="first"
        ),
        Transition(
            "lodge_appeal", _("Lodge an appeal"), _STATELESS_NEGATIVE, "appeal_lodged", lodges_appeal=True
        ),
        Transition(
            "uphold_on_appeal",
            _("Appeal dismissed: rejection upheld"),
            _f("appeal_lodged"),
            "appeal_rejected",
            decision=Decision.REJECTED,
            instance="appeal",
        ),
        Transition(
            "recognise_on_appeal",
            _("Appeal allowed: recognised as stateless"),
            _f("appeal_lodged"),
            "recognised_stateless",
            decision=Decision.RECOGNISED,
            instance="appeal",
        ),
        Transition(
            "finalise_rejection", _("Rejection becomes final"), _STATELESS_NEGATIVE, "finally_rejected"
        ),
        Transition(
            "withdraw",
            _("Application withdrawn"),
            _STATELESS_PENDING | _STATELESS_NEGATIVE,
            "withdrawn",
            decision=Decision.OTHERWISE_CLOSED,
        ),
        Transition(
            "close_abandoned",
            _("Close as abandoned (no contact)"),
            _STATELESS_PENDING | _STATELESS_NEGATIVE,
            "abandoned",
            decision=Decision.OTHERWISE_CLOSED,
        ),
        Transition(
            "cancel", _("Cancellation of statelessness status"), _f("recognised_stateless"), "cancelled"
        ),
        Transition(
            "record_contact",
            _("Record contact with the applicant"),
            _STATELESS_PENDING | _STATELESS_NEGATIVE | _f("recognised_stateless"),
        ),
        *_solutions(_f("recognised_stateless"), _STATELESS_PENDING | _STATELESS_NEGATIVE),
    ),
)

_TRAFFICKING_OPEN = _f("presumed", "identified", "reflection_period", "assisted")

TRAFFICKING = Workflow(
    kind=CaseKind.TRAFFICKING,
    initial="presumed",
    states=_states(
        State("presumed", _("Presumed victim"), protection=TRAFFICKING_VICTIM),
        State("identified", _("Identified victim"), protection=TRAFFICKING_VICTIM),
        State("reflection_period", _("Reflection and recovery period"), protection=TRAFFICKING_VICTIM),
        State("assisted", _("Receiving assistance"), protection=TRAFFICKING_VICTIM),
        State("not_identified", _("Not identified as a victim"), closed=True),
        State("assistance_completed", _("Assistance completed"), closed=True),
        State("withdrawn", _("Declined assistance"), closed=True),
        State("abandoned", _("Closed: contact lost"), closed=True),
        *DEPARTURE_STATES,
    ),
    transitions=_transitions(
        Transition(
            "identify_victim",
            _("Identify as a victim of trafficking"),
            _f("presumed"),
            "identified",
            requires=frozenset({Detail.EXPLOITATION, Detail.MEANS_OF_CONTROL}),
        ),
        Transition("not_identified", _("Not identified as a victim"), _f("presumed"), "not_identified"),
        Transition(
            "start_reflection_period",
            _("Start the reflection and recovery period"),
            _f("identified"),
            "reflection_period",
        ),
        Transition(
            "start_assistance",
            _("Start assistance"),
            _f("identified", "reflection_period"),
            "assisted",
        ),
        Transition(
            "refer_to_partner",
            _("Refer to a partner for assistance"),
            _TRAFFICKING_OPEN,
            requires=frozenset({Detail.PARTNER}),
        ),
        Transition("complete_assistance", _("Assistance completed"), _f("assisted"), "assistance_completed"),
        Transition("withdraw", _("Person declined assistance"), _TRAFFICKING_OPEN, "withdrawn"),
        Transition("close_abandoned", _("Close: contact lost"), _TRAFFICKING_OPEN, "abandoned"),
        Transition("record_contact", _("Record contact with the person"), _TRAFFICKING_OPEN),
        *_solutions(frozenset(), _TRAFFICKING_OPEN),
    ),
)

_CHILD_OPEN = _f("opened", "assessed", "tracing", "traced", "determined")

CHILD_PROTECTION = Workflow(
    kind=CaseKind.CHILD_PROTECTION,
    initial="opened",
    states=_states(
        State("opened", _("Opened"), protection=UNACCOMPANIED_CHILD),
        State("assessed", _("Best-interests assessment done"), protection=UNACCOMPANIED_CHILD),
        State("tracing", _("Family tracing under way"), protection=UNACCOMPANIED_CHILD),
        State("traced", _("Family traced"), protection=UNACCOMPANIED_CHILD),
        State("determined", _("Best-interests determination made"), protection=UNACCOMPANIED_CHILD),
        State("reunified", _("Reunified with family"), closed=True),
        State("reached_majority", _("Closed: reached 18"), closed=True),
        State("abandoned", _("Closed: contact lost"), closed=True),
        *SOLUTION_STATES,
    ),
    transitions=_transitions(
        Transition("complete_bia", _("Best-interests assessment done"), _f("opened"), "assessed"),
        Transition("start_tracing", _("Start family tracing"), _f("opened", "assessed"), "tracing"),
        Transition("family_traced", _("Family traced"), _f("tracing"), "traced"),
        Transition("tracing_unsuccessful", _("Tracing unsuccessful for now"), _f("tracing"), "assessed"),
        Transition(
            "arrange_care",
            _("Arrange care"),
            _CHILD_OPEN,
            requires=frozenset({Detail.CARE_ARRANGEMENT}),
        ),
        Transition(
            "complete_bid", _("Best-interests determination made"), _f("assessed", "traced"), "determined"
        ),
        Transition("reunify", _("Reunified with family"), _f("traced", "determined"), "reunified"),
        Transition("reach_majority", _("Close: the child has turned 18"), _CHILD_OPEN, "reached_majority"),
        Transition("close_abandoned", _("Close: contact lost"), _CHILD_OPEN, "abandoned"),
        Transition("record_contact", _("Record contact with the child"), _CHILD_OPEN),
        *_solutions(_f("determined"), _CHILD_OPEN - _f("determined")),
    ),
)

RETURN = Workflow(
    kind=CaseKind.RETURN,
    initial="requested",
    states=_states(
        State("requested", _("Return assistance requested")),
        State("approved", _("Return assistance approved")),
        State("declined", _("Return assistance declined"), closed=True),
        State("withdrawn", _("Withdrawn"), closed=True),
        *DEPARTURE_STATES,
    ),
    transitions=_transitions(
        Transition("approve_assistance", _("Approve return assistance"), _f("requested"), "approved"),
        Transition("decline_assistance", _("Decline return assistance"), _f("requested"), "declined"),
        Transition("withdraw", _("Person withdrew the request"), _f("requested", "approved"), "withdrawn"),
        Transition(
            "assisted_return",
            _("Returned with assistance"),
            _f("approved"),
            "returned",
            requires=frozenset({Detail.DESTINATION}),
        ),
        Transition("departure", _("Left the country on their own"), _f("requested", "approved"), "departed"),
        Transition("record_contact", _("Record contact with the person"), _f("requested", "approved")),
    ),
)

WORKFLOWS: dict[CaseKind, Workflow] = {
    w.kind: w for w in (ASYLUM, STATELESSNESS, TRAFFICKING, CHILD_PROTECTION, RETURN)
}

# IOM's Human Trafficking Case Data Standard (HTCDS) terms.
EXPLOITATION_TYPES: dict[str, Promise] = {
    "sexual": _("Sexual exploitation"),
    "forced_labour_agriculture": _("Forced labour: agriculture"),
    "forced_labour_construction": _("Forced labour: construction"),
    "forced_labour_domestic": _("Forced labour: domestic work"),
    "forced_labour_hospitality": _("Forced labour: hospitality"),
    "forced_labour_manufacturing": _("Forced labour: manufacturing"),
    "forced_labour_begging": _("Forced labour: begging"),
    "forced_labour_other": _("Forced labour: other sector"),
    "forced_marriage": _("Forced marriage"),
    "forced_criminality": _("Forced criminal activity"),
    "organ_removal": _("Removal of organs"),
    "other": _("Other exploitation"),
}

MEANS_OF_CONTROL: dict[str, Promise] = {
    "debt_bondage": _("Debt bondage"),
    "takes_earnings": _("Takes earnings"),
    "threats": _("Threats"),
    "physical_abuse": _("Physical abuse"),
    "sexual_abuse": _("Sexual abuse"),
    "psychological_abuse": _("Psychological abuse"),
    "false_promises": _("False promises"),
    "restricts_movement": _("Restricts movement"),
    "withholds_documents": _("Withholds documents"),
    "withholds_necessities": _("Withholds necessities"),
    "threat_of_law_enforcement": _("Threat of law enforcement"),
    "excessive_working_hours": _("Excessive working hours"),
    "uses_children": _("Uses children"),
}

CARE_ARRANGEMENTS: dict[str, Promise] = {
    "kinship_care": _("Kinship care"),
    "foster_care": _("Foster care"),
    "residential_care": _("Residential care"),
    "supervised_independent_living": _("Supervised independent living"),
    "other": _("Other care arrangement"),
}


@dataclass(frozen=True)
class Refusal:
    """Why a step cannot be taken; `field` names the input at fault, as in the registry's FieldError."""

    field: str
    code: str
    message: str


@dataclass(frozen=True)
class StepRequest:
    """A step someone asks for, in plain values: what `transition_check` judges."""

    transition: str
    occurred_on: date
    reason: str = ""
    legal_basis: str = ""
    details: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class CaseFacts:
    """What the rules need to know of a case: its kind, where it stands and its history's bounds."""

    kind: CaseKind
    state: str
    began_on: date
    last_event_on: date
    appeal_level: int
    awaiting_approval: str = ""


def next_steps(facts: CaseFacts, *, appeal_levels: int) -> list[Transition]:
    """The steps that may follow from where the case is, in table order."""
    workflow = WORKFLOWS[facts.kind]
    steps = []
    for transition in workflow.transitions.values():
        if facts.state not in transition.sources:
            continue
        if transition.lodges_appeal and facts.appeal_level >= appeal_levels:
            continue
        steps.append(transition)
    return steps


def _labels(steps: Iterable[Transition]) -> str:
    return ", ".join(str(step.label) for step in steps)


def transition_check(
    facts: CaseFacts, step: StepRequest, *, today: date, appeal_levels: int
) -> tuple[Transition, list[Refusal]]:
    """The transition asked for and every reason to refuse it (an empty list: it may be taken)."""
    workflow = WORKFLOWS[facts.kind]
    allowed = next_steps(facts, appeal_levels=appeal_levels)
    transition = workflow.transitions.get(step.transition)
    refusals: list[Refusal] = []
    if transition is None or transition not in allowed:
        state_label = workflow.states[facts.state].label
        if not allowed:
            message = _("The case is closed (%(state)s): no further step can be taken.") % {
                "state": state_label
            }
        elif transition is not None and transition.lodges_appeal and facts.state in transition.sources:
            message = _(
                "No further appeal is possible: all %(levels)s appeal levels are used. Allowed next: %(steps)s."
            ) % {
                "levels": appeal_levels,
                "steps": _labels(allowed),
            }
        else:
            message = _("This step cannot follow “%(state)s”. Allowed next: %(steps)s.") % {
                "state": state_label,
                "steps": _labels(allowed),
            }
        return Transition(step.transition, _("Unknown step"), frozenset()), [
            Refusal("transition", "not_allowed", str(message))
        ]
    if facts.awaiting_approval:
        pending = workflow.transitions[facts.awaiting_approval].label
        refusals.append(
            Refusal(
                "transition",
                "awaiting_approval",
                str(
                    _("“%(step)s” is waiting for a supervisor's approval; decide it first.")
                    % {"step": pending}
                ),
            )
        )
    if step.occurred_on > today:
        refusals.append(
            Refusal("occurred_on", "future", str(_("The date of a step cannot be in the future.")))
        )
    elif step.occurred_on < facts.began_on:
        refusals.append(
            Refusal(
                "occurred_on",
                "before_case_began",
                str(
                    _("The case began on %(date)s; a step cannot be dated before it.")
                    % {"date": facts.began_on.isoformat()}
                ),
            )
        )
    elif step.occurred_on < facts.last_event_on:
        refusals.append(
            Refusal(
                "occurred_on",
                "before_previous_step",
                str(
                    _("The previous step is dated %(date)s; a step cannot be dated before it.")
                    % {"date": facts.last_event_on.isoformat()}
                ),
            )
        )
    elif step.occurred_on < today and not step.reason.strip():
        refusals.append(
            Refusal("reason", "backdated_without_reason", str(_("Say why this step is dated in the past.")))
        )
    for detail in sorted(transition.requires):
        value = step.details.get(detail.value)
        if value in (None, "", [], ()):
            refusals.append(
                Refusal(f"details.{detail.value}", "required", str(_("This step needs this information.")))
            )
    refusals.extend(_detail_refusals(step.details))
    return transition, refusals


def _detail_refusals(details: Mapping[str, object]) -> list[Refusal]:
    refusals: list[Refusal] = []
    for key, vocabulary in (
        (Detail.EXPLOITATION.value, EXPLOITATION_TYPES),
        (Detail.MEANS_OF_CONTROL.value, MEANS_OF_CONTROL),
    ):
        values = details.get(key)
        if values in (None, "", []):
            continue
        if not isinstance(values, list | tuple) or any(v not in vocabulary for v in values):
            refusals.append(
                Refusal(f"details.{key}", "invalid_choice", str(_("Choose from the HTCDS list.")))
            )
    care = details.get(Detail.CARE_ARRANGEMENT.value)
    if care not in (None, "") and care not in CARE_ARRANGEMENTS:
        refusals.append(
            Refusal(
                f"details.{Detail.CARE_ARRANGEMENT.value}",
                "invalid_choice",
                str(_("Choose a care arrangement.")),
            )
        )
    return refusals


def decision_level(transition: Transition, appeal_level: int, level_codes: tuple[str, ...]) -> str:
    """UNHCR's dec_level of a decision (FI at first instance, the state's code for each appeal level), and of an
    appeal lodged: the level it goes to."""
    if transition.instance == "first":
        return "FI"
    if transition.instance == "appeal" or transition.lodges_appeal:
        index = max(appeal_level - 1, 0)
        return level_codes[index] if index < len(level_codes) else "AR"
    return ""
