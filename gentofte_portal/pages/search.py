"""Site search (/soeg/) over everything this user may see: committees, mandates, agenda items, referater, bilag
and open calls. Who sees what comes from the apps' selectors as querysets (meetings.selectors.items_visible and
its neighbours), so permissions are part of the query and a hit is never filtered out afterwards.

On PostgreSQL: the ``danish`` full-text vectors (titles A, body B) with every word as a prefix, or'ed with pg_trgm
word similarity and a substring match on the titles (compounds, inflections the stemmer misses, misspellings);
ranked, with ts_headline snippets. On SQLite: ``icontains`` over the same fields, newest first, no ranking.
A page costs a fixed number of queries, hit or not.

Anonymous visitors search the public search index (SearchEntry, built from the same selectors asked as an
anonymous user: gentofte_portal.pages.search_index): the page's ids and the total in one statement, then the page's
rows with their snippets. Logged-in users other than the secretariat search the same index plus the few rows only
they may see (their committees' closed items and those items' bilag, the kommissorium drafts put to them), ranked
together in one statement (_member_search_page). The secretariat, who may see every row, search the tables: the
count and one page of (kind, id) from a UNION of the kinds, then one query per kind searched (seven, or one with a
kind filter); that search is also the tests' yardstick for the index search (table_search_page).
"""

import datetime as dt
import html
from dataclasses import dataclass, field

from django import forms
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    DateField,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Coalesce, TruncDate
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from committees import selectors as committee_selectors
from committees.models import Committee, Mandate
from committees.permissions import is_secretariat
from gentofte_portal.common import public_cache
from gentofte_portal.common import search as fts
from gentofte_portal.common.public_cache import public_page
from gentofte_portal.common.validators import without_control_characters
from meetings import selectors as meeting_selectors
from meetings.models import AgendaItem, Attachment, Minutes
from recruitment.selectors import calls_open

from .models import SearchEntry

PER_PAGE = 20


@dataclass
class Source:
    """One kind of hit: what the user may see of it, and where its title, text, committee and date are."""

    key: str
    label: str
    table: str
    title: str | None  # the title column (trigram and substring matching), if the row has one
    texts: list[str]  # the columns SQLite searches, besides the title
    committee: str  # path to the committee's id
    date: object  # expression for the date shown and filtered by year
    related: list[str] = field(default_factory=list)


SOURCES = [
    Source("udvalg", _("Udvalg"), "committees_committee", "name", ["purpose"], "id",
           Coalesce("starts_on", "term__starts_on")),
    Source("kommissorium", _("Kommissorium"), "committees_mandate", None,
           ["background", "purpose", "task", "composition_note", "working_method"], "committee_id",
           Coalesce(Cast("published_at", DateField()), "approved_on", Cast("updated_at", DateField())),
           ["committee"]),
    Source("punkt", _("Dagsordenspunkt"), "meetings_agendaitem", "title",
           ["case_number", "summary", "recommendation", "earlier_decisions"], "meeting__committee_id",
           TruncDate("meeting__starts_at"), ["meeting", "meeting__committee"]),
    Source("referat", _("Referat"), "meetings_minutes", None, ["remarks", "correction_note"],
           "meeting__committee_id", TruncDate("meeting__starts_at"), ["meeting", "meeting__committee"]),
    Source("bilag", _("Bilag"), "meetings_attachment", "title", ["text"], "item__meeting__committee_id",
           TruncDate("item__meeting__starts_at"), ["item", "item__meeting", "item__meeting__committee"]),
    Source("opslag", _("Opslag"), "recruitment_call", "title", ["text"], "committee_id",
           Cast("published_at", DateField()), ["committee"]),
    # A closed item the user may not read in full, found only by the title its publish level shows.
    Source("lukket", _("Dagsordenspunkt"), "meetings_agendaitem", None, [], "meeting__committee_id",
           TruncDate("meeting__starts_at"), ["meeting", "meeting__committee"]),
]  # fmt: skip
KIND_OF = {"lukket": "punkt"}  # the type filter offers closed items' public titles with the agenda items
KIND_CHOICES = [("", _("Alle typer"))] + [(s.key, s.label) for s in SOURCES if s.key not in KIND_OF]


# No row, as a condition that still compiles to SQL: ``pk__in=[]`` raises EmptyResultSet, which a query with no
# other part to fall back on (a search of words too short to match, narrowed to one kind) answered with a 500.
NO_ROW = Q(pk__isnull=True)


def _kind(source: Source) -> str:
    return KIND_OF.get(source.key, source.key)


def _visible(source: Source, user) -> QuerySet:
    """The one place each kind's permission rule is taken from (the apps' selectors)."""
    if source.key == "udvalg":
        return Committee.objects.all()
    if source.key == "kommissorium":
        return committee_selectors.mandates_visible(user=user)
    if source.key == "punkt":
        return meeting_selectors.items_visible(user=user)
    if source.key == "referat":
        return meeting_selectors.minutes_visible(user=user)
    if source.key == "bilag":
        return meeting_selectors.attachments_visible(user=user)
    if source.key == "lukket":
        return meeting_selectors.items_by_public_title(user=user)
    return calls_open()


def _pk_in_array(model, ids) -> Q:
    """``id = ANY(ARRAY(<ids>))``: PostgreSQL computes the ids first (an InitPlan) and then looks each one up by the
    primary key. With ``id IN (<ids>)`` it overestimated the ids (about 8,600 for 1,200) and hashed the whole table
    instead (50 ms of 100,000 agenda items)."""
    if isinstance(ids, list):  # no condition at all (never a QuerySet's truth value: that would run it)
        return NO_ROW
    sql, params = ids.query.sql_with_params()
    table = model._meta.db_table
    return Q(RawSQL(f'"{table}"."id" = ANY(ARRAY({sql}))', params, output_field=BooleanField()))


def _union(querysets: list):
    if not querysets:
        return []
    return querysets[0].union(*querysets[1:]) if len(querysets) > 1 else querysets[0]


def _match(source: Source, user, query: str, words: list[str], full_text: bool):
    """The filter for hits of ``source``, and (PostgreSQL) the rank expression."""
    if source.key == "lukket":  # the public title only (AgendaItem.public_view), never any text of the item
        return meeting_selectors.public_title_matches(query), fts.no_rank()
    text_q = fts.contains_any(source.texts, query)
    if source.key == "bilag":  # a closed item's bilag is found by its title only, never by its text
        text_q &= Q(item__is_closed=False)
    if source.key == "punkt":
        text_q |= Q(decision__icontains=query) & meeting_selectors.item_decision_visible_q(user=user)
    if not full_text:
        title_q = Q(**{f"{source.title}__icontains": query}) if source.title else NO_ROW
        return title_q | text_q, fts.no_rank()
    # Each condition alone, as ids, then IN (… UNION …): PostgreSQL scans each one's own GIN index (BitmapOr is not
    # chosen for an OR across them and the permission joins, and a sequential scan costs a second at 100,000 items).
    tsquery = fts.prefix_tsquery(words)
    vector = fts.vector()
    model = _visible(source, user).model
    ids = []
    if tsquery:
        text_match = model.objects.filter(fts.matches(vector, tsquery))
        if source.key == "bilag":  # the text of a closed item's bilag is never a hit: titles only
            text_match = text_match.filter(item__is_closed=False)
        ids.append(text_match)
    if source.title:
        ids.append(model.objects.filter(fts.WordSimilar(query, source.title)))
        ids.append(model.objects.filter(**{f"{source.title}__icontains": query}))
    if source.key == "punkt" and tsquery:
        decision = fts.matches(fts.vector("decision_vector"), tsquery)
        ids.append(model.objects.filter(decision).filter(meeting_selectors.item_decision_visible_q(user=user)))
    # One IN (… UNION …), never an OR of two: an OR of subqueries made PostgreSQL scan the whole table (46 ms of
    # agenda items at load-data scale 1) instead of joining the few ids to the primary key.
    q = _pk_in_array(model, _union([qs.order_by().values("pk") for qs in ids]))
    rank = fts.rank(vector, tsquery) if tsquery else fts.no_rank()
    if source.title:
        rank = rank + fts.WordSimilarity(query, source.title) * 0.5
    return q, rank


class SearchForm(forms.Form):
    """The committee is a plain field checked against a dict, not a ChoiceField: Django normalised and searched the
    hundreds of committees' choices on every request, which cost more than the search's own query."""

    q = forms.CharField(label=_("Søgeord"), required=False, max_length=fts.MAX_QUERY_LENGTH)
    udvalg = forms.CharField(label=_("Udvalg"), required=False)
    periode = forms.ChoiceField(label=_("Valgperiode"), required=False)
    aar = forms.IntegerField(label=_("År"), required=False, min_value=1970, max_value=2100)
    type = forms.ChoiceField(label=_("Type"), required=False, choices=KIND_CHOICES)

    def __init__(self, *args, committees, terms, **kwargs):
        """``committees``: (id, slug, label) rows (committee_choices); ``terms``: (id, label) rows (term_choices)."""
        super().__init__(*args, **kwargs)
        self.committee_ids = {slug: pk for pk, slug, _label in committees}
        self.fields["periode"].choices = [("", _("Alle valgperioder"))] + [(str(pk), label) for pk, label in terms]
        options = {
            "udvalg": [("", _("Alle udvalg"))] + [(slug, label) for _pk, slug, label in committees],
            "periode": self.fields["periode"].choices,
            "type": KIND_CHOICES,
        }
        for name, choices in options.items():
            self.fields[name].options_html = _options_html(choices, self.data.get(name))

    def clean_udvalg(self):
        slug = self.cleaned_data["udvalg"]
        if slug and slug not in self.committee_ids:
            raise forms.ValidationError(
                forms.ChoiceField.default_error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": slug},
            )
        return slug


def _options_html(choices, selected) -> str:
    """A select's <option>s as one piece of HTML, escaped here: a template loop (or format_html) over the hundreds
    of committees cost more than the search itself."""
    selected = str(selected or "")
    return mark_safe(  # noqa: S308 - every value and label is escaped
        "".join(
            f'<option value="{html.escape(str(value))}"{" selected" if str(value) == selected else ""}>'
            f"{html.escape(str(label))}</option>"
            for value, label in choices
        )
    )


def committee_choices() -> list[tuple[int, str, str]]:
    """(id, slug, "name (term)") of every committee, by name, newest term first: one query, no model instances."""
    rows = Committee.objects.order_by("name", "-term__starts_on").values_list(
        "pk", "slug", "name", "term__starts_on", "term__ends_on"
    )
    # The label as Term.__str__ writes the term.
    return [(pk, slug, f"{name} ({starts_on.year}–{ends_on.year})") for pk, slug, name, starts_on, ends_on in rows]


def term_choices() -> list[tuple[int, str]]:
    """(id, label) of every electoral term, newest first."""
    return [(term.pk, str(term)) for term in committee_selectors.terms_all()]


@dataclass
class Hit:
    kind: str
    label: str
    title: str
    url: str
    context: str
    snippet: str


def _date(value) -> str:
    return date_format(value, "SHORT_DATE_FORMAT") if value else ""


def _hits_for(source: Source, ids: list[int], user, words: list[str], full_text: bool, rows=None) -> dict[int, Hit]:
    """The page's hits of one kind, in one query, with their snippets. ``rows``: where to read them (default: what
    the user may see of the kind, _visible; the ids come from a statement that applied the same rule)."""
    qs = (_visible(source, user) if rows is None else rows).filter(pk__in=ids).select_related(*source.related)
    body = _body(source, user)
    if full_text and fts.prefix_tsquery(words):
        qs = qs.annotate(snippet=fts.headline(body, fts.prefix_tsquery(words)))
    else:
        qs = qs.annotate(snippet=body)
    hits = {}
    for obj in qs:
        snippet = fts.headline_html(obj.snippet) if full_text else fts.snippet_html(obj.snippet, words)
        hits[obj.pk] = _hit(source, obj, mark_safe(snippet))  # noqa: S308 - escaped by headline_html/snippet_html
    return hits


def _body(source: Source, user):
    """The text a snippet is cut from: only what this user may read of the hit."""
    from django.db.models.functions import Concat

    def join(*names):
        parts = []
        for name in names:
            expr = name if isinstance(name, Case) else Coalesce(F(name), Value(""), output_field=TextField())
            parts += [expr, Value(" ", output_field=TextField())]
        return Concat(*parts, output_field=TextField())

    if source.key == "punkt":
        decision = Case(
            When(meeting_selectors.item_decision_visible_q(user=user), then=F("decision")),
            default=Value(""),
            output_field=TextField(),
        )
        return join("summary", "recommendation", "earlier_decisions", decision)
    if source.key == "bilag":
        return Case(When(item__is_closed=False, then=F("text")), default=Value(""), output_field=TextField())
    if source.key == "lukket":
        return Value("", output_field=TextField())
    return join(*source.texts)


def _hit(source: Source, obj, snippet) -> Hit:
    label = source.label
    if source.key == "udvalg":
        return Hit(source.key, label, obj.name, reverse("pages:committee", args=[obj.slug]), str(obj.term), snippet)
    if source.key == "kommissorium":
        if obj.status == Mandate.Status.PUBLISHED:
            url = reverse("committees:mandate_public", args=[obj.committee.slug])
        else:
            url = reverse("committees:mandate_detail", args=[obj.pk])
        title = _("Kommissorium for %(committee)s, revision %(n)s") % {"committee": obj.committee, "n": obj.revision}
        return Hit(source.key, label, title, url, obj.get_status_display(), snippet)
    if source.key == "punkt":
        meeting = obj.meeting
        url = reverse("meetings:detail", args=[meeting.pk]) + f"#punkt-{obj.position}"
        title = f"{obj.position}. {obj.title}"
        context = f"{meeting.committee.name}, {_date(meeting.starts_at)}"
        if obj.case_number:
            context += f" ({obj.case_number})"
        if obj.is_closed:
            context += " – " + str(_("Lukket punkt"))
        return Hit(source.key, label, title, url, context, snippet)
    if source.key == "lukket":
        meeting = obj.meeting
        public_title, _decision = obj.public_view()
        title = _("%(n)s. %(title)s (Lukket)") % {"n": obj.position, "title": public_title}
        context = f"{meeting.committee.name}, {_date(meeting.starts_at)}"
        if obj.case_number:
            context += f" ({obj.case_number})"
        url = reverse("meetings:detail", args=[meeting.pk]) + f"#punkt-{obj.position}"
        return Hit(source.key, label, title, url, context, snippet)
    if source.key == "referat":
        meeting = obj.meeting
        title = _("Referat: %(committee)s, %(date)s") % {
            "committee": meeting.committee.name,
            "date": _date(meeting.starts_at),
        }
        context = "" if obj.status == Minutes.Status.PUBLISHED else obj.get_status_display()
        return Hit(
            source.key, label, title, reverse("meetings:detail", args=[meeting.pk]) + "#referat", context, snippet
        )
    if source.key == "bilag":
        meeting = obj.item.meeting
        url = reverse("meetings:attachment", args=[meeting.pk, obj.pk])
        context = _("Punkt %(n)s, %(committee)s, %(date)s") % {
            "n": obj.item.position,
            "committee": meeting.committee.name,
            "date": _date(meeting.starts_at),
        }
        return Hit(source.key, label, obj.title, url, context, snippet)
    context = _("%(committee)s, ansøgningsfrist %(date)s") % {
        "committee": obj.committee.name,
        "date": _date(obj.deadline),
    }
    return Hit(source.key, label, obj.title, reverse("recruitment:call", args=[obj.pk]), context, snippet)


def search_page(*, user, query: str, committee_id=None, term_id=None, year=None, kind="", page=1):
    """One page of ranked hits and the total count, in a fixed number of queries (see the module's docstring)."""
    full_text = fts.uses_full_text()
    words = fts.query_words(query)
    filters = {"committee_id": committee_id, "term_id": term_id, "year": year, "kind": kind}
    if not user.is_authenticated:
        return _public_search_page(query=query, words=words, full_text=full_text, number=_page_number(page), **filters)
    if not is_secretariat(user):
        return _member_search_page(
            user=user, query=query, words=words, full_text=full_text, number=_page_number(page), **filters
        )
    return table_search_page(user=user, query=query, page=page, **filters)


def table_search_page(*, user, query: str, committee_id=None, term_id=None, year=None, kind="", page=1):
    """search_page from the tables, for the secretariat (who see every row, drafts and closed items alike, so the
    public index would help them little); for other users the tests' yardstick of what the index search must find."""
    full_text = fts.uses_full_text()
    words = fts.query_words(query)
    filters = {"committee_id": committee_id, "term_id": term_id, "year": year, "kind": kind}
    parts = []
    for source in SOURCES:
        if kind and _kind(source) != kind:
            continue
        match, rank = _match(source, user, query, words, full_text)
        parts.append(_hit_rows(source, _visible(source, user).filter(match), rank, **filters))
    union = _union_all(parts)
    number = _page_number(page)
    with transaction.atomic():
        if full_text:
            fts.set_similarity_threshold()
        rows, total = _page_rows(union, number)
        if not rows and total and number > 1:  # past the last page: show the last one, as Paginator.get_page does
            number = (total - 1) // PER_PAGE + 1
            rows, total = _page_rows(union, number)
        page_obj = Paginator(_CountedPage(rows, total), PER_PAGE).page(number)
        by_kind: dict[str, list[int]] = {}
        for row in rows:
            by_kind.setdefault(row["hit_kind"], []).append(row["hit_id"])
        # One query per kind searched, also for a kind with no hit on this page (an id no row has): the page's
        # cost is then the same whatever the hits are.
        found = {
            source.key: _hits_for(source, by_kind.get(source.key) or [0], user, words, full_text)
            for source in SOURCES
            if not kind or _kind(source) == kind
        }
    hits = [found[r["hit_kind"]][r["hit_id"]] for r in rows if r["hit_id"] in found[r["hit_kind"]]]
    return page_obj, hits


def _hit_rows(source: Source, qs: QuerySet, rank, *, committee_id, term_id, year, kind=""):
    """``qs`` (the hits of ``source``) with the page's filters, as (hit_kind, hit_id, hit_rank, hit_date) rows."""
    if committee_id:
        qs = qs.filter(**{source.committee: committee_id})
    if term_id:
        term_path = "term_id" if source.committee == "id" else source.committee.replace("_id", "__term_id")
        qs = qs.filter(**{term_path: term_id})
    qs = qs.annotate(hit_date=Cast(source.date, DateField()))
    if year:
        qs = qs.filter(hit_date__year=year)
    return (
        qs.annotate(hit_kind=Value(source.key, output_field=CharField()), hit_id=F("pk"), hit_rank=rank)
        .values("hit_kind", "hit_id", "hit_rank", "hit_date")
        .order_by()
    )


def _page_number(page) -> int:
    try:
        return max(1, int(page))
    except (TypeError, ValueError):
        return 1


def _page_rows(union, number: int) -> tuple[list[dict], int]:
    """One page of the ranked union and the total number of hits, in one query (COUNT(*) OVER ()): the union is
    the costly part, and Paginator would run it twice, once to count and once for the page."""
    sql, params = union.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT hit_kind, hit_id, COUNT(*) OVER () FROM ({sql}) AS hits "  # noqa: S608 - Django's own SQL
            "ORDER BY hit_rank DESC, hit_date DESC NULLS LAST, hit_kind, hit_id DESC LIMIT %s OFFSET %s",
            [*params, PER_PAGE, (number - 1) * PER_PAGE],
        )
        fetched = cursor.fetchall()
    total = fetched[0][2] if fetched else 0
    if not fetched and number > 1:  # past the end: the total still counts, for the last page
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM ({sql}) AS hits", params)  # noqa: S608
            total = cursor.fetchone()[0]
    return [{"hit_kind": kind, "hit_id": pk} for kind, pk, _total in fetched], total


# --- Anonymous visitors: one query on the public search index ------------------------------------------------


def _public_matches(*, query: str, words: list[str], full_text: bool, committee_id, term_id, year, kind):
    """The index rows that match, with the filters and a ``hit_rank``: what the public may see is already decided
    (gentofte_portal.pages.search_index), so this is one table and its own indexes. Returns (found, similar):
    ``similar`` (PostgreSQL) are the titles only similar to the query (pg_trgm word similarity: misspellings), to
    be searched only when ``found`` is less than a page."""
    now = timezone.now()
    qs = SearchEntry.objects.filter(
        Q(shown_from__isnull=True) | Q(shown_from__lte=now), Q(shown_until__isnull=True) | Q(shown_until__gt=now)
    )
    if kind:
        qs = qs.filter(kind__in=[s.key for s in SOURCES if _kind(s) == kind])
    if committee_id:
        qs = qs.filter(committee_id=committee_id)
    if term_id:
        qs = qs.filter(term_id=term_id)
    if year:
        qs = qs.filter(date__year=year)
    if not full_text:
        match = Q(title__icontains=query) | Q(keywords__icontains=query) | Q(body__icontains=query)
        return qs.filter(match).annotate(hit_rank=fts.no_rank()), None
    # Words (ts_rank: titles weigh A, so a title hit ranks first) and the query as a part of a title (ranked by
    # its similarity). The word match first: PostgreSQL rechecks each row against the OR in this order.
    tsquery = fts.prefix_tsquery(words)
    similarity = fts.WordSimilarity(query, "title") * 0.5
    match = Q(fts.Contains("title", query))
    rank = similarity
    if tsquery:
        word_match = fts.matches(fts.vector(), tsquery)
        match = Q(word_match) | match
        rank = Case(
            When(word_match, then=fts.rank(fts.vector(), tsquery)), default=similarity, output_field=FloatField()
        )
    found = qs.filter(match).annotate(hit_rank=rank)
    similar = qs.filter(fts.WordSimilar(query, "title")).exclude(match).annotate(hit_rank=similarity)
    return found, similar


HIT_COLUMNS = ("id", "kind", "object_id", "date", "hit_rank")
HIT_ORDER = "hit_rank DESC, date DESC NULLS LAST, kind, object_id DESC"


def _hits_sql(found, similar) -> tuple[str, list]:
    """The hits as one statement. The similar titles are searched only when the words found less than a page
    (a one-time filter: PostgreSQL then never runs that scan): their trigram scan and recheck cost as much as all
    the rest at load-data scale 1 (about 4 of 8 ms for a word with 1,082 hits)."""
    found_sql, found_params = found.values(*HIT_COLUMNS).query.sql_with_params()
    if similar is None:
        return f"SELECT * FROM ({found_sql}) AS found", list(found_params)
    similar_sql, similar_params = similar.values(*HIT_COLUMNS).query.sql_with_params()
    sql = (
        f"WITH found AS MATERIALIZED ({found_sql}), "  # noqa: S608 - Django's own SQL
        f"alike AS (SELECT * FROM ({similar_sql}) AS s WHERE (SELECT COUNT(*) FROM found) < %s) "
        "SELECT * FROM found UNION ALL SELECT * FROM alike"
    )
    return sql, [*found_params, *similar_params, PER_PAGE]


ENTRY_COLUMNS = ("id", "kind", "object_id", "committee_id", "date", "title", "url", "details")


def _public_page_sql(hits_sql: str, params: list, number: int, tsquery: str) -> tuple[str, list]:
    """The page's index rows in rank order, each with its snippet (ts_headline only for the page's rows), its
    committee's name and the total number of hits (COUNT(*) OVER ()), as one statement: a second round trip, a
    transaction and the ORM's query building cost more than the statement's own work for a rare word."""
    columns = ", ".join(f"e.{c}" for c in ENTRY_COLUMNS)
    if tsquery:
        snippet = "ts_headline(%s::regconfig, e.body, to_tsquery(%s::regconfig, %s), %s)"
        snippet_params = [fts.CONFIG, fts.CONFIG, tsquery, fts.HEADLINE_OPTIONS]
    else:
        snippet, snippet_params = "e.body", []
    sql = (
        f"WITH hits AS ({hits_sql}), "  # noqa: S608 - Django's own SQL and fixed column names
        f"page AS (SELECT id, hit_rank, date, kind, object_id, COUNT(*) OVER () AS total FROM hits "
        f"ORDER BY {HIT_ORDER} LIMIT %s OFFSET %s) "
        f"SELECT {columns}, {snippet} AS snippet, c.name AS committee_name, page.total AS total "
        "FROM page JOIN pages_searchentry e ON e.id = page.id "
        "LEFT JOIN committees_committee c ON c.id = e.committee_id "
        "ORDER BY page.hit_rank DESC, page.date DESC NULLS LAST, page.kind, page.object_id DESC"
    )
    return sql, [*params, PER_PAGE, (number - 1) * PER_PAGE, *snippet_params]


def _entry_row(row: dict) -> dict:
    """The raw row with its JSON decoded and its date a date, as the model's fields would give them (SQLite returns
    both as text)."""
    row["details"] = SearchEntry._meta.get_field("details").from_db_value(row["details"], None, connection)
    if isinstance(row["date"], str):
        row["date"] = dt.date.fromisoformat(row["date"])
    return row


def _public_page_rows(hits_sql: str, params: list, number: int, tsquery: str, full_text: bool):
    """(the page's rows as dicts, the total, the page number): one statement; past the last page, the last page
    (as Paginator.get_page), in two more. On PostgreSQL the statement carries its own ``SET LOCAL``s
    (fts.similarity_settings_sql), so no transaction is opened for them."""

    def fetch(page: int):
        sql, page_params = _public_page_sql(hits_sql, params, page, tsquery)
        if full_text:
            sql = fts.similarity_settings_sql() + sql
            page_params = [*fts.similarity_settings_params(), *page_params]
        with connection.cursor() as cursor:
            cursor.execute(sql, page_params)
            names = [col[0] for col in cursor.description]
            return [_entry_row(dict(zip(names, row, strict=True))) for row in cursor.fetchall()]

    rows = fetch(number)
    if rows or number == 1:
        return rows, (rows[0]["total"] if rows else 0), number
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({hits_sql}) AS hits", params)  # noqa: S608
        total = cursor.fetchone()[0]
    number = max(1, (total - 1) // PER_PAGE + 1)
    rows = fetch(number)
    return rows, total, number


def _public_search_page(*, query, words, full_text, committee_id, term_id, year, kind, number):
    """One statement: the page's rows with their snippets, committee names and the total."""
    found, similar = _public_matches(
        query=query, words=words, full_text=full_text, committee_id=committee_id, term_id=term_id, year=year,
        kind=kind,
    )  # fmt: skip
    hits_sql, params = _hits_sql(found, similar)
    tsquery = fts.prefix_tsquery(words) if full_text else ""
    rows, total, number = _public_page_rows(hits_sql, params, number, tsquery, full_text)
    page_obj = Paginator(_CountedPage([row["id"] for row in rows], total), PER_PAGE).page(number)
    hits = []
    for row in rows:
        snippet = fts.headline_html(row["snippet"]) if tsquery else fts.snippet_html(row["snippet"], words)
        hits.append(_entry_hit(row, mark_safe(snippet)))  # noqa: S308 - escaped by headline_html/snippet_html
    return page_obj, hits


# --- Logged-in users other than the secretariat: the public index and what only they may see ---------------------


# What such a user may see beyond the public: the closed items they read in full (meetings.selectors.
# items_beyond_public, computed once per search as the statement's ``search_seen``), those items' bilag, and the
# kommissorium drafts put to them. Every other kind (committees, published kommissorier, open items and their
# decisions once the referat is published, published referater, calls) they see exactly as the public does
# (meetings.selectors.item_decision_visible_q and minutes_visible differ only for the secretariat), so the index
# answers for those.
def _in_seen(column: str):
    """``<column> IN (SELECT id FROM search_seen)``, the column written with the alias its query gives the table."""
    return fts.RawSQLFunc(
        "{} IN (SELECT id FROM search_seen)", fts.Column(column, IntegerField()), None, BooleanField()
    )


BEYOND_PUBLIC = {
    "punkt": lambda user: AgendaItem.objects.filter(_in_seen("id")),
    "bilag": lambda user: Attachment.objects.filter(_in_seen("item_id")),
    "kommissorium": lambda user: committee_selectors.mandates_beyond_public(user=user),
}
# Where the page's hits beyond the public are read, by the ids the ranked statement found with the rule above (the
# rule's querysets cost more to build in Python than the page's rows cost to read).
BEYOND_MODELS = {"punkt": AgendaItem, "bilag": Attachment, "kommissorium": Mandate}


def _row_match(source: Source, user, query: str, words: list[str], full_text: bool):
    """_match's conditions tested on each of a few rows (the rows beyond the public: a member's committees' closed
    items), instead of collected from the whole table's indexes, which costs more than the rows themselves."""
    if not full_text:
        return _match(source, user, query, words, full_text)
    tsquery = fts.prefix_tsquery(words)
    conditions = []
    rank = fts.no_rank()
    if tsquery:
        text = Q(fts.matches(fts.vector(), tsquery))
        if source.key == "bilag":  # the text of a closed item's bilag is never a hit: titles only
            text &= Q(item__is_closed=False)
        conditions.append(text)
        rank = fts.rank(fts.vector(), tsquery)
    if source.title:
        conditions += [Q(fts.WordSimilar(query, source.title)), Q(fts.Contains(source.title, query))]
        rank = rank + fts.WordSimilarity(query, source.title) * 0.5
    if source.key == "punkt" and tsquery:
        decision = Q(fts.matches(fts.vector("decision_vector"), tsquery))
        conditions.append(decision & meeting_selectors.item_decision_visible_q(user=user))
    match = NO_ROW
    for condition in conditions:
        match |= condition
    return match, rank


def _member_search_page(*, user, query, words, full_text, committee_id, term_id, year, kind, number):
    """The public index's hits (less the closed items' public titles where this user reads the item in full) and
    the hits among the rows only this user may see (BEYOND_PUBLIC), ranked together: the count and one page in one
    statement, then the page's index rows, then one query per kind beyond the public. The tables' union, which
    the secretariat still searches, cost about 0.1 s of SQL at load-data scale 1; this about a tenth of it."""
    filters = {"committee_id": committee_id, "term_id": term_id, "year": year, "kind": kind}
    found, similar = _public_matches(query=query, words=words, full_text=full_text, **filters)
    # The closed items this user reads in full: found by their text (BEYOND_PUBLIC), not by their public title.
    seen_sql, seen_params = (
        meeting_selectors.items_beyond_public(user=user).order_by().values("pk").query.sql_with_params()
    )
    not_seen = ~Q(kind="lukket") | ~Q(_in_seen("object_id"))
    found = found.filter(not_seen)
    if similar is not None:
        similar = similar.filter(not_seen)
    index_sql, index_params = _hits_sql(found, similar)
    beyond = []
    for key, rows in BEYOND_PUBLIC.items():
        source = SOURCE_BY_KEY[key]
        if kind and _kind(source) != kind:
            continue
        match, rank = _row_match(source, user, query, words, full_text)
        beyond.append(_hit_rows(source, rows(user=user).filter(match), rank, **filters))
    # search_seen is computed once (MATERIALIZED): the permission rule is planned and run once, and the per-row
    # text conditions on its few rows are planned without the tables' statistics.
    sql = (
        f"WITH search_seen (id) AS MATERIALIZED ({seen_sql}) "  # noqa: S608 - Django's own SQL
        f"SELECT 0 AS beyond, id, kind, object_id, date, hit_rank FROM ({index_sql}) AS entries"
    )
    params = [*seen_params, *index_params]
    if beyond:
        beyond_sql, beyond_params = _union_all(beyond).query.sql_with_params()
        sql += (
            " UNION ALL SELECT 1, hit_id, hit_kind, hit_id, hit_date, hit_rank "  # noqa: S608 - Django's own SQL
            f"FROM ({beyond_sql}) AS beyond"
        )
        params += beyond_params
    rows, total, number = _mixed_page_rows(sql, params, number, full_text)
    tsquery = fts.prefix_tsquery(words) if full_text else ""
    entries = _entries_by_id([pk for is_beyond, pk, _kind_key in rows if not is_beyond], tsquery)
    by_kind: dict[str, list[int]] = {}
    for is_beyond, pk, kind_key in rows:
        if is_beyond:
            by_kind.setdefault(kind_key, []).append(pk)
    # One query per kind beyond the public, also without a hit on this page: the cost is the same whatever the hits.
    found_beyond = {
        key: _hits_for(
            SOURCE_BY_KEY[key], by_kind.get(key) or [0], user, words, full_text, BEYOND_MODELS[key].objects.all()
        )
        for key in BEYOND_PUBLIC
        if not kind or _kind(SOURCE_BY_KEY[key]) == kind
    }
    hits = []
    for is_beyond, pk, kind_key in rows:
        if is_beyond:
            hit = found_beyond[kind_key].get(pk)
        elif pk in entries:
            entry = entries[pk]
            snippet = fts.headline_html(entry["snippet"]) if tsquery else fts.snippet_html(entry["snippet"], words)
            hit = _entry_hit(entry, mark_safe(snippet))  # noqa: S308 - escaped by headline_html/snippet_html
        else:
            hit = None
        if hit is not None:
            hits.append(hit)
    page_obj = Paginator(_CountedPage(rows, total), PER_PAGE).page(number)
    return page_obj, hits


def _union_all(querysets: list):
    return querysets[0].union(*querysets[1:], all=True) if len(querysets) > 1 else querysets[0]


def _mixed_page_rows(sql: str, params: list, number: int, full_text: bool):
    """([(beyond, id, kind)], total, page number) of the ranked rows of ``sql``, in one statement (with the
    similarity settings in front, as _public_page_rows); past the last page, the last page."""

    def fetch(page: int):
        statement = (
            f"SELECT beyond, id, kind, COUNT(*) OVER () FROM ({sql}) AS hits "  # noqa: S608 - Django's own SQL
            f"ORDER BY {HIT_ORDER}, beyond LIMIT %s OFFSET %s"
        )
        statement_params = [*params, PER_PAGE, (page - 1) * PER_PAGE]
        if full_text:
            statement = fts.similarity_settings_sql() + statement
            statement_params = [*fts.similarity_settings_params(), *statement_params]
        with connection.cursor() as cursor:
            cursor.execute(statement, statement_params)
            return cursor.fetchall()

    fetched = fetch(number)
    if fetched or number == 1:
        return [row[:3] for row in fetched], (fetched[0][3] if fetched else 0), number
    with transaction.atomic():
        if full_text:
            fts.set_similarity_threshold()
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM ({sql}) AS hits", params)  # noqa: S608
            total = cursor.fetchone()[0]
    number = max(1, (total - 1) // PER_PAGE + 1)
    fetched = fetch(number)
    return [row[:3] for row in fetched], total, number


def _entries_by_id(ids: list[int], tsquery: str) -> dict[int, dict]:
    """The page's index rows, with their snippets and committee names, in one query (also with no row)."""
    snippet = fts.headline(F("body"), tsquery) if tsquery else F("body")
    rows = (
        SearchEntry.objects.filter(pk__in=ids or [0])
        .annotate(
            snippet=snippet,
            committee_name=Subquery(Committee.objects.filter(pk=OuterRef("committee_id")).values("name")[:1]),
        )
        .values(*ENTRY_COLUMNS, "snippet", "committee_name")
    )
    return {row["id"]: row for row in rows}


SOURCE_BY_KEY = {s.key: s for s in SOURCES}
SOURCE_LABELS = {s.key: s.label for s in SOURCES}


def _entry_hit(entry: dict, snippet) -> Hit:
    """A hit from an index row: its title and context worded in the visitor's language, as _hit words them."""
    kind, details, committee = entry["kind"], entry["details"], entry["committee_name"] or ""
    title, url, date = entry["title"], entry["url"], entry["date"]
    label = SOURCE_LABELS[kind]
    meeting_context = f"{committee}, {_date(date)}"
    if details.get("case_number"):
        meeting_context += f" ({details['case_number']})"
    if kind == "udvalg":
        return Hit(kind, label, title, url, details["term"], snippet)
    if kind == "kommissorium":
        title = _("Kommissorium for %(committee)s, revision %(n)s") % {"committee": committee, "n": details["revision"]}
        return Hit(kind, label, title, url, Mandate.Status(details["status"]).label, snippet)
    if kind == "punkt":
        return Hit(kind, label, f"{details['n']}. {title}", url, meeting_context, snippet)
    if kind == "lukket":
        title = _("%(n)s. %(title)s (Lukket)") % {"n": details["n"], "title": title}
        return Hit(kind, label, title, url, meeting_context, snippet)
    if kind == "referat":
        title = _("Referat: %(committee)s, %(date)s") % {"committee": committee, "date": _date(date)}
        return Hit(kind, label, title, url, "", snippet)
    if kind == "bilag":
        context = _("Punkt %(n)s, %(committee)s, %(date)s") % {
            "n": details["n"],
            "committee": committee,
            "date": _date(date),
        }
        return Hit(kind, label, title, url, context, snippet)
    deadline = timezone.localdate(dt.datetime.fromisoformat(details["deadline"]))
    context = _("%(committee)s, ansøgningsfrist %(date)s") % {"committee": committee, "date": _date(deadline)}
    return Hit(kind, label, title, url, context, snippet)


class _CountedPage:
    """The page's rows with the total, shaped as Paginator wants its list (a length and the page's slice)."""

    def __init__(self, rows: list[dict], total: int):
        self.rows, self.total = rows, total

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, _page_slice):
        return self.rows


@public_page
def search(request):
    params = request.GET.copy()
    params["q"] = without_control_characters(params.get("q") or "").strip()[: fts.MAX_QUERY_LENGTH]
    form = SearchForm(
        params,
        committees=public_cache.versioned("search:committees", committee_choices),
        terms=public_cache.versioned("search:terms", term_choices),
    )
    context = {"form": form, "query": params["q"], "page_obj": None, "hits": []}
    if not form.is_valid():
        return render(request, "search.html", context, status=400)
    query = form.cleaned_data["q"]
    if len(query) >= 2:
        page_obj, hits = search_page(
            user=request.user,
            query=query,
            committee_id=form.committee_ids.get(form.cleaned_data["udvalg"]),
            term_id=int(form.cleaned_data["periode"]) if form.cleaned_data["periode"] else None,
            year=form.cleaned_data["aar"],
            kind=form.cleaned_data["type"],
            page=request.GET.get("side") or 1,
        )
        context.update(page_obj=page_obj, hits=hits)
    return render(request, "search.html", context)
