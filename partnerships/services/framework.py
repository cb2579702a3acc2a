"""A partnership's joint framework: proposing a new version, each member agreeing it, and the
history of who changed what.

A version is never edited: a change is a new, numbered version (numbered under a row lock on
the partnership, so two people saving at once never get the same number). Agreements belong to
one version: a new version starts with none, and members agree again. A version is *agreed*
once every signatory agreed it — the member institutions when it was proposed (a member added
later agrees the next version; a removed one keeps the version unagreed unless it agreed) — and
it has at least two; only the latest version may be agreed.

Agreeing for an institution takes being listed in its staff (superusers may read, never sign
for a company), and one person agrees a version for one institution only: "agreed by every
member" is never one person's doing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from credentials.models import Issuer
from partnerships.models import (
    ExpectedResult,
    FrameworkAgreement,
    FrameworkVersion,
    Member,
    Partnership,
    Signatory,
)
from partnerships.services.access import members_acted_for, members_signed_for

__all__ = [
    "FIELDS",
    "RESULT_FIELDS",
    "Change",
    "FrameworkError",
    "MemberState",
    "ResultInput",
    "agree",
    "agreed_on",
    "both_sides",
    "change_of",
    "current_agreed",
    "history",
    "latest",
    "member_states",
    "propose_version",
]

# The framework's words, in the order people read them; each is required.
FIELDS = ("vision", "goals", "steering_group", "decision_rules", "meeting_rhythm", "ip_strategy")
# What an expected result says; the first four are required.
RESULT_FIELDS = (
    "title",
    "owner",
    "may_use",
    "licence",
    "confidentiality",
    "innovation_potential",
    "description",
    "terms",
)
ROLE_ORDER = {Member.Role.UNIVERSITY: 0, Member.Role.INDUSTRY: 1, Member.Role.INTERMEDIARY: 2}


class FrameworkError(ValueError):
    """Why a proposal or an agreement was refused, for the person who tried (translated)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class ResultInput:
    """One expected result as proposed: ``owner`` an institution (or its id)."""

    title: str
    owner: Issuer | int
    may_use: str
    licence: str
    confidentiality: str
    innovation_potential: str
    description: str = ""
    terms: str = ""

    @property
    def owner_id(self) -> int:
        return self.owner.pk if isinstance(self.owner, Issuer) else int(self.owner)

    def key(self) -> tuple:
        return (
            self.title.strip(),
            self.description.strip(),
            self.owner_id,
            self.may_use,
            self.licence,
            self.confidentiality,
            self.terms.strip(),
            self.innovation_potential,
        )


def _result_key(result: ExpectedResult) -> tuple:
    return (
        result.title,
        result.description,
        result.owner_id,
        result.may_use,
        result.licence,
        result.confidentiality,
        result.terms,
        result.innovation_potential,
    )


def _label(name: str) -> str:
    return str(FrameworkVersion._meta.get_field(name).verbose_name)


def _as_input(result: ResultInput | Mapping) -> ResultInput:
    if isinstance(result, ResultInput):
        return result
    values = {name: result.get(name) for name in RESULT_FIELDS if name in result}
    values.setdefault("description", "")
    values.setdefault("terms", "")
    values["description"] = values["description"] or ""
    values["terms"] = values["terms"] or ""
    try:
        return ResultInput(**values)
    except TypeError as error:
        raise FrameworkError(
            _("Each expected result needs a title, an owner and its terms.")
        ) from error


def _check_results(results: list[ResultInput], member_issuers: set[int]) -> None:
    choices = {
        "may_use": ExpectedResult.Use.values,
        "licence": ExpectedResult.Licence.values,
        "confidentiality": ExpectedResult.Confidentiality.values,
        "innovation_potential": ExpectedResult.Potential.values,
    }
    for result in results:
        if not (result.title or "").strip():
            raise FrameworkError(_("Give every expected result a title."), "results")
        try:
            owner_id = result.owner_id
        except (TypeError, ValueError):
            owner_id = None
        if owner_id not in member_issuers:
            raise FrameworkError(
                _("“%(title)s” must be owned by a member of the partnership.")
                % {"title": result.title.strip()},
                "results",
            )
        for name, allowed in choices.items():
            if getattr(result, name) not in allowed:
                raise FrameworkError(
                    _("Choose who may use “%(title)s”, its licence, confidentiality and potential.")
                    % {"title": result.title.strip()},
                    "results",
                )


def latest(partnership: Partnership) -> FrameworkVersion | None:
    """The newest version of the partnership's framework, agreed or not."""
    return partnership.framework_versions.order_by("-number").first()


@transaction.atomic
def propose_version(
    partnership: Partnership,
    by,
    *,
    vision: str,
    goals: str,
    steering_group: str,
    decision_rules: str,
    meeting_rhythm: str,
    ip_strategy: str,
    change_note: str = "",
    results: Iterable[ResultInput | Mapping] = (),
) -> FrameworkVersion:
    """The next version of the framework, proposed by ``by`` (staff of a member).

    A proposal the same as the latest version (words and expected results; the change note
    aside) creates nothing and returns the latest version: saving twice is harmless."""
    if not members_acted_for(by, partnership).exists():
        raise FrameworkError(_("Only the staff of a member institution may change the framework."))
    words = dict(
        vision=vision,
        goals=goals,
        steering_group=steering_group,
        decision_rules=decision_rules,
        meeting_rhythm=meeting_rhythm,
        ip_strategy=ip_strategy,
    )
    words = {name: (value or "").strip() for name, value in words.items()}
    for name in FIELDS:
        if not words[name]:
            raise FrameworkError(
                _("Fill in the %(field)s.") % {"field": _label(name)},
                name,
            )
    proposed = [_as_input(result) for result in results]
    # The lock: whoever saves second waits here, then numbers after the first.
    locked = Partnership.objects.select_for_update().get(pk=partnership.pk)
    member_issuers = set(locked.members.values_list("issuer_id", flat=True))
    _check_results(proposed, member_issuers)
    previous = latest(locked)
    members = list(locked.members.all())
    if previous is not None and _same(previous, words, proposed, members):
        return previous
    version = FrameworkVersion.objects.create(
        partnership=locked,
        number=(previous.number + 1) if previous else 1,
        change_note=(change_note or "").strip()[:300],
        created_by=by,
        **words,
    )
    ExpectedResult.objects.bulk_create(
        ExpectedResult(
            version=version,
            position=position,
            title=result.title.strip(),
            description=result.description.strip(),
            owner_id=result.owner_id,
            may_use=result.may_use,
            licence=result.licence,
            confidentiality=result.confidentiality,
            terms=result.terms.strip(),
            innovation_potential=result.innovation_potential,
        )
        for position, result in enumerate(proposed)
    )
    Signatory.objects.bulk_create(
        Signatory(version=version, issuer_id=m.issuer_id, role=m.role) for m in members
    )
    return version


def _same(
    version: FrameworkVersion, words: dict, proposed: list[ResultInput], members: list[Member]
) -> bool:
    """The same words, results and signatories: the members changed since, it is a new version."""
    if any(getattr(version, name) != words[name] for name in FIELDS):
        return False
    signed = set(version.signatory_rows.values_list("issuer_id", "role"))
    if signed != {(m.issuer_id, m.role) for m in members}:
        return False
    return [_result_key(r) for r in version.results.all()] == [r.key() for r in proposed]


@transaction.atomic
def agree(version: FrameworkVersion, member: Member, by) -> FrameworkAgreement:
    """``by`` agrees ``version`` for ``member``'s institution. Agreeing twice keeps the first.

    Refused unless ``by`` is listed in the institution's staff (being a superuser is not
    enough), the institution is a signatory of the version, and ``by`` has not agreed this
    version for another institution."""
    if member.partnership_id != version.partnership_id:
        raise FrameworkError(_("That institution is not a member of this partnership."))
    if not members_signed_for(by, version.partnership).filter(pk=member.pk).exists():
        raise FrameworkError(
            _("Only the staff of %(institution)s may agree for it.")
            % {"institution": member.issuer.name}
        )
    locked = Partnership.objects.select_for_update().get(pk=version.partnership_id)
    newest = latest(locked)
    if newest is None or newest.pk != version.pk:
        raise FrameworkError(
            _("Version %(number)s is no longer the latest: read and agree the latest version.")
            % {"number": version.number}
        )
    if not version.signatory_rows.filter(issuer_id=member.issuer_id).exists():
        raise FrameworkError(
            _(
                "%(institution)s joined after version %(number)s was proposed: "
                "it agrees the next version."
            )
            % {"institution": member.issuer.name, "number": version.number}
        )
    earlier = version.agreements.filter(agreed_by=by).exclude(issuer_id=member.issuer_id).first()
    if earlier is not None:
        raise FrameworkError(
            _(
                "You already agreed version %(number)s for %(institution)s. One person agrees "
                "for one institution only: a colleague agrees for the other."
            )
            % {"number": version.number, "institution": earlier.issuer.name}
        )
    agreement, _created = FrameworkAgreement.objects.get_or_create(
        version=version,
        issuer_id=member.issuer_id,
        defaults={"member": member, "agreed_by": by},
    )
    return agreement


def _agreed_time(signatories: set[int], times: dict[int, datetime]) -> datetime | None:
    """The last agreement's time once every signatory (two at least) agreed, else None."""
    if len(signatories) < 2 or not signatories <= set(times):
        return None
    return max(times[pk] for pk in signatories)


def both_sides(roles: Iterable[str]) -> bool:
    """Exactly two signatories, a university and an industry partner or intermediary: only
    then is "agreed by both sides" true."""
    roles = list(roles)
    return len(roles) == 2 and sorted(r == Member.Role.UNIVERSITY for r in roles) == [False, True]


def agreed_on(version: FrameworkVersion) -> datetime | None:
    """When every signatory had agreed ``version`` (the last agreement's time), else None."""
    signatories = set(version.signatory_rows.values_list("issuer_id", flat=True))
    times = dict(version.agreements.values_list("issuer_id", "agreed_at"))
    return _agreed_time(signatories, times)


def current_agreed(partnership: Partnership) -> FrameworkVersion | None:
    """The newest version every signatory agreed, or None. On it: ``agreed_at``,
    ``signatory_count`` and ``both_sides`` (see :func:`both_sides`)."""
    signed: dict[int, dict[int, str]] = {}
    for version_id, issuer_id, role in Signatory.objects.filter(
        version__partnership=partnership
    ).values_list("version_id", "issuer_id", "role"):
        signed.setdefault(version_id, {})[issuer_id] = role
    times: dict[int, dict[int, datetime]] = {}
    for version_id, issuer_id, at in FrameworkAgreement.objects.filter(
        version__partnership=partnership
    ).values_list("version_id", "issuer_id", "agreed_at"):
        times.setdefault(version_id, {})[issuer_id] = at
    agreed = {
        version_id: at
        for version_id, issuers in signed.items()
        if (at := _agreed_time(set(issuers), times.get(version_id, {}))) is not None
    }
    if not agreed:
        return None
    version = partnership.framework_versions.filter(pk__in=agreed).order_by("-number").first()
    version.agreed_at = agreed[version.pk]
    version.signatory_count = len(signed[version.pk])
    version.both_sides = both_sides(signed[version.pk].values())
    return version


@dataclass(frozen=True)
class MemberState:
    """One signatory's agreement to a version: ``agreement`` None while it has not agreed.
    ``member`` is the :class:`Signatory` (its ``issuer`` and ``role`` when proposed)."""

    member: Signatory
    agreement: FrameworkAgreement | None


@dataclass(frozen=True)
class Change:
    """One version against the one before: what changed, who made it, who agreed."""

    version: FrameworkVersion
    previous: FrameworkVersion | None
    fields: list[str] = field(default_factory=list)  # labels of changed words
    results_added: list[str] = field(default_factory=list)
    results_removed: list[str] = field(default_factory=list)
    results_changed: list[str] = field(default_factory=list)
    states: list[MemberState] = field(default_factory=list)
    agreed_on: datetime | None = None

    @property
    def is_first(self) -> bool:
        return self.previous is None

    @property
    def agreements(self) -> list[FrameworkAgreement]:
        return [state.agreement for state in self.states if state.agreement is not None]

    @property
    def signatory_count(self) -> int:
        return len(self.states)

    @property
    def both_sides(self) -> bool:
        return both_sides(state.member.role for state in self.states)


def _states(version: FrameworkVersion) -> list[MemberState]:
    """The version's signatories (university first) with their agreements."""
    by_issuer = {a.issuer_id: a for a in version.agreements.all()}
    signatories = sorted(
        version.signatory_rows.all(), key=lambda s: (ROLE_ORDER.get(s.role, 9), s.issuer.name)
    )
    return [MemberState(s, by_issuer.get(s.issuer_id)) for s in signatories]


def _compare(version: FrameworkVersion, previous: FrameworkVersion | None) -> Change:
    states = _states(version)
    times = {s.member.issuer_id: s.agreement.agreed_at for s in states if s.agreement is not None}
    done = _agreed_time({s.member.issuer_id for s in states}, times)
    if previous is None:
        return Change(version, None, states=states, agreed_on=done)
    fields = [_label(name) for name in FIELDS if getattr(version, name) != getattr(previous, name)]
    mine = {r.title: _result_key(r) for r in version.results.all()}
    theirs = {r.title: _result_key(r) for r in previous.results.all()}
    return Change(
        version,
        previous,
        fields=fields,
        results_added=[t for t in mine if t not in theirs],
        results_removed=[t for t in theirs if t not in mine],
        results_changed=[t for t in mine if t in theirs and mine[t] != theirs[t]],
        states=states,
        agreed_on=done,
    )


def _versions(partnership: Partnership):
    return (
        partnership.framework_versions.select_related("created_by")
        .prefetch_related("results__owner", "agreements__agreed_by", "signatory_rows__issuer")
        .order_by("-number")
    )


def history(partnership: Partnership) -> list[Change]:
    """Every version, newest first, each with what changed against the one before, who made it
    (``version.created_by``, ``version.created_at``) and who agreed it for which member."""
    versions = list(_versions(partnership))
    older = [*versions[1:], None]
    return [_compare(v, p) for v, p in zip(versions, older, strict=False)]


def change_of(partnership: Partnership, number: int) -> Change | None:
    """Version ``number`` in full, with what changed against the one before; None if none."""
    pair = list(_versions(partnership).filter(number__lte=number)[:2])
    if not pair or pair[0].number != number:
        return None
    previous = pair[1] if len(pair) > 1 else None
    return _compare(pair[0], previous)


def member_states(version: FrameworkVersion) -> list[MemberState]:
    """Each signatory of the version (university first) and its agreement, if any."""
    return _states(version)
