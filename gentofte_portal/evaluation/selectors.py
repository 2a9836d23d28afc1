"""The figures, counted in the database: a fixed number of queries whatever the number of answers or committees.

A group (the politicians, the citizens) is shown only when at least MIN_RESPONDENTS of it answered: fewer could
let a reader who knows the members guess who answered what. All members together are shown when at least
MIN_RESPONDENTS answered, unless one group is shown and the other has a few answers (subtracting the one from the
whole would give the few away). Percentages are of the group's
respondents ("ved ikke" included in the total), rounded half up, as the seeds report them ("87 % af borgerne ...").
Statements with the same wording in several committees are counted together.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Min, Q, QuerySet
from django.utils.translation import gettext as _

from committees.models import CommitteeMembership, Term

from .defaults import AGREEING, DISAGREEING, MIN_RESPONDENTS, Choice
from .models import Answer, AnswerItem, Invitation, Survey

KIND = CommitteeMembership.MemberKind
KINDS = [KIND.POLITICIAN, KIND.CITIZEN]
EVERYONE = "alle"
# Fill colours of the scale in the charts, from agreeing (green) to disagreeing (red); "ved ikke" grey.
COLOURS = {
    Choice.AGREE: "#1e6b30",
    Choice.PARTLY_AGREE: "#74b87f",
    Choice.NEUTRAL: "#d9d9d9",
    Choice.PARTLY_DISAGREE: "#e39a8f",
    Choice.DISAGREE: "#a3271b",
    Choice.DONT_KNOW: "#8a8a8a",
}


# The charts' geometry, in SVG units: the group's name on the left, then a bar of the whole scale.
LABEL_WIDTH, BAR_WIDTH, ROW_HEIGHT = 130, 500, 36


def percent(part: int, whole: int) -> int:
    """Rounded half up (87.5 → 88), as a reader would round it."""
    return (200 * part + whole) // (2 * whole) if whole else 0


def _group_names() -> dict[str, str]:
    return {KIND.POLITICIAN: _("politikerne"), KIND.CITIZEN: _("borgerne"), EVERYONE: _("medlemmerne")}


def _group_labels() -> dict[str, str]:
    return {KIND.POLITICIAN: _("Politikere"), KIND.CITIZEN: _("Borgere"), EVERYONE: _("Alle medlemmer")}


@dataclass
class Row:
    """One statement as one group answered it."""

    kind: str
    label: str
    respondents: int
    counts: dict[str, int]
    y: int = 0
    agree: int = 0
    disagree: int = 0
    sentence: str = ""
    disagree_sentence: str = ""
    segments: list = field(default_factory=list)
    cells: list = field(default_factory=list)


@dataclass
class Results:
    respondents: int
    by_kind: dict[str, int]
    shown: bool
    groups: list  # (kind, label, respondents, shown)
    statements: list  # {"text", "rows": [Row]}
    free_texts: list[str]

    @property
    def legend(self):
        return [(value, label, COLOURS[value]) for value, label in Choice.choices]


def _results(surveys: Q, *, free_text: bool) -> Results:
    """Results of the answers to the surveys matching ``surveys`` (a Q over Survey): two or three queries."""
    by_kind = {kind: 0 for kind in KINDS}
    for row in (
        Answer.objects.filter(survey__in=Survey.objects.filter(surveys)).values("member_kind").annotate(n=Count("id"))
    ):
        by_kind[row["member_kind"]] = row["n"]
    total = sum(by_kind.values())
    labels, names = _group_labels(), _group_names()
    groups = [
        {"kind": k, "label": labels[k], "respondents": by_kind[k], "shown": by_kind[k] >= MIN_RESPONDENTS}
        for k in KINDS
    ]
    shown_groups = sum(g["shown"] for g in groups)
    everyone = total >= MIN_RESPONDENTS and (
        shown_groups == len(groups) or (shown_groups == 0 and all(by_kind[k] for k in KINDS))
    )
    groups.append({"kind": EVERYONE, "label": labels[EVERYONE], "respondents": total, "shown": everyone})
    shown_kinds = [g["kind"] for g in groups if g["shown"]]
    results = Results(
        respondents=total,
        by_kind=by_kind,
        shown=bool(shown_kinds),
        groups=groups,
        statements=[],
        free_texts=[],
    )
    if not shown_kinds:
        return results
    counts: dict[str, dict[str, dict[str, int]]] = {}
    order: dict[str, tuple] = {}
    items = (
        AnswerItem.objects.filter(answer__survey__in=Survey.objects.filter(surveys))
        .values("statement__text", "answer__member_kind", "choice")
        .annotate(n=Count("id"), position=Min("statement__position"))
        .order_by()
    )
    for item in items:
        text = item["statement__text"]
        per_kind = counts.setdefault(text, {})
        for kind in (item["answer__member_kind"], EVERYONE):
            per_kind.setdefault(kind, {c: 0 for c in Choice.values})[item["choice"]] += item["n"]
        order[text] = min(order.get(text, (item["position"], text)), (item["position"], text))
    for text in sorted(counts, key=lambda t: order[t]):
        rows = []
        for kind in shown_kinds:
            choice_counts = counts[text].get(kind)
            if not choice_counts:
                continue
            n = sum(choice_counts.values())
            row = Row(kind=kind, label=labels[kind], respondents=n, counts=choice_counts)
            row.agree = percent(sum(choice_counts[c] for c in AGREEING), n)
            row.disagree = percent(sum(choice_counts[c] for c in DISAGREEING), n)
            row.sentence = _("%(pct)s %% af %(group)s er helt eller delvis enige i «%(statement)s».") % {
                "pct": row.agree,
                "group": names[kind],
                "statement": text,
            }
            row.disagree_sentence = _("%(pct)s %% af %(group)s er helt eller delvis uenige.") % {
                "pct": row.disagree,
                "group": names[kind],
            }
            row.cells = [
                (label, choice_counts[value], percent(choice_counts[value], n)) for value, label in Choice.choices
            ]
            x = 0.0
            for value, label in Choice.choices:
                width = BAR_WIDTH * choice_counts[value] / n
                if width:
                    row.segments.append(
                        {"x": f"{x:.2f}", "width": f"{width:.2f}", "colour": COLOURS[value], "label": label}
                    )
                x += width
            row.y = ROW_HEIGHT * len(rows)
            rows.append(row)
        results.statements.append({"text": text, "rows": rows, "height": ROW_HEIGHT * len(rows) + 8})
    if free_text:
        results.free_texts = sorted(
            Answer.objects.filter(survey__in=Survey.objects.filter(surveys))
            .exclude(free_text="")
            .values_list("free_text", flat=True)
        )
    return results


def results_for_survey(*, survey: Survey, free_text: bool = False) -> Results:
    return _results(Q(pk=survey.pk), free_text=free_text)


def results_across(*, term: Term | None = None) -> Results:
    """Every sent survey's answers, or one term's."""
    q = Q(status=Survey.Status.SENT)
    if term is not None:
        q &= Q(committee__term=term)
    return _results(q, free_text=False)


def surveys_for_workspace() -> QuerySet[Survey]:
    """Every survey, newest committee first, with its invitation figures (one query)."""
    return (
        Survey.objects.select_related("committee__term")
        .annotate(
            invited=Count("invitations", distinct=True),
            answered=Count("invitations", filter=Q(invitations__answered=True), distinct=True),
        )
        .order_by("-committee__term__starts_on", "-committee__ends_on", "committee__name")
    )


def invitation_figures(*, survey: Survey) -> dict:
    figures = Invitation.objects.filter(survey=survey).aggregate(
        invited=Count("id"),
        answered=Count("id", filter=Q(answered=True)),
        politicians=Count("id", filter=Q(member_kind=KIND.POLITICIAN)),
        citizens=Count("id", filter=Q(member_kind=KIND.CITIZEN)),
    )
    figures["waiting"] = figures["invited"] - figures["answered"]
    return figures


def terms_with_surveys() -> QuerySet[Term]:
    return (
        Term.objects.filter(committees__evaluation_survey__status=Survey.Status.SENT).distinct().order_by("-starts_on")
    )


def survey_published(*, committee) -> Survey | None:
    return Survey.objects.filter(committee=committee, published_at__isnull=False).first()
