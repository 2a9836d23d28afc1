"""Site search plumbing shared by the apps' search selectors and the /soeg/ page: the query's words, the PostgreSQL
expressions (Danish full text, prefix matching, trigram similarity) and safe highlighted snippets.

On PostgreSQL each searched table has a stored, generated ``search_vector`` column (``danish`` configuration,
titles weighted A, body text B) with a GIN index, made by the apps' migrations; the models do not declare it, as
SQLite has no such column. On SQLite search falls back to ``icontains`` over the same fields, without ranking.
"""

import re

from django.db import connection
from django.db.models import BooleanField, Expression, F, FloatField, Func, Q, Value
from django.utils.html import escape

CONFIG = "danish"
MAX_QUERY_LENGTH = 200
MAX_WORDS = 8
# A hit's words are marked with these in SQL (ts_headline) and turned into <mark> only after the rest is escaped.
MARK_START, MARK_STOP = "\ue000", "\ue001"
# pg_trgm's word similarity threshold for ``<%`` (default 0.6): low enough that "kommisorium" still finds
# "kommissoriet" (0.57), high enough that short words do not match everything.
WORD_SIMILARITY_THRESHOLD = 0.5
WORD = re.compile(r"\w+", re.UNICODE)
# ts_headline's options, as SearchHeadline below writes them: for the statements written by hand (the public search).
HEADLINE_OPTIONS = (
    f"StartSel='{MARK_START}', StopSel='{MARK_STOP}', MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=' … '"
)


def uses_full_text() -> bool:
    return connection.vendor == "postgresql"


def query_words(query: str) -> list[str]:
    """The words of a search, lower-cased, without operators or punctuation: a user's ``a & | !`` is no tsquery
    syntax, only the word ``a``."""
    return [w.lower() for w in WORD.findall(query)][:MAX_WORDS]


def prefix_tsquery(words: list[str]) -> str:
    """``'word1':* & 'word2':*`` for to_tsquery: every word of two or more letters, stemmed by the Danish
    configuration, as a prefix (so "børn" finds "børneudvalget"). A long word is also tried without its last three
    letters, for the inflections the stemmer leaves apart ("kommissorium" finds "kommissoriet", stemmed
    "kommissori"). Words hold only \\w characters, so no quote or operator can reach the parser."""
    terms = []
    for w in words:
        if len(w) < 2:
            continue
        terms.append(f"('{w}':* | '{w[:-3]}':*)" if len(w) >= 8 else f"'{w}':*")
    return " & ".join(terms)


SIMILARITY_SETTINGS_SQL = "SET LOCAL pg_trgm.word_similarity_threshold = %s; SET LOCAL jit = off; "


def similarity_settings_sql() -> str:
    """set_similarity_threshold's two settings, to put in front of a statement sent in the same call: PostgreSQL
    runs a string of statements as one implicit transaction, so SET LOCAL holds for the statement after it and
    no more, without a BEGIN and COMMIT of its own (two round trips, a large part of a rare word's search)."""
    return SIMILARITY_SETTINGS_SQL


def similarity_settings_params() -> list:
    return [str(WORD_SIMILARITY_THRESHOLD)]


def set_similarity_threshold() -> None:
    """For the current transaction only (SET LOCAL): one query, however many hits. JIT compilation is switched off
    for it too: the search's union has a high estimated cost, so PostgreSQL compiled it on every request, which
    cost more (about 70 ms a query at load-data scale 1) than the query itself."""
    with connection.cursor() as cursor:
        cursor.execute(SIMILARITY_SETTINGS_SQL, similarity_settings_params())


class WordSimilar(Func):
    """``query <% column``: the query is similar to some run of words in the column (pg_trgm, index-backed)."""

    template = "(%(expressions)s)"
    arg_joiner = " <%% "
    output_field = BooleanField()

    def __init__(self, query: str, column: str):
        super().__init__(Value(query), F(column))


class Contains(Func):
    """``column ILIKE '%query%'``, which pg_trgm's GIN index serves (Django's icontains writes UPPER(column) LIKE …,
    which no index serves)."""

    template = "(%(expressions)s)"
    arg_joiner = " ILIKE "
    output_field = BooleanField()

    def __init__(self, column: str, query: str):
        pattern = "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        super().__init__(F(column), Value(pattern))


class Column(Expression):
    """A column of the query's own table that the model does not declare (the generated ``search_vector``),
    written with the alias the query gives that table (``U0`` in a subquery)."""

    def __init__(self, name: str, output_field):
        super().__init__(output_field=output_field)
        self.name = name

    def as_sql(self, compiler, connection):
        alias = compiler.query.base_table or compiler.query.get_initial_alias()
        return f"{compiler.quote_name_unless_alias(alias)}.{connection.ops.quote_name(self.name)}", []


def vector(name: str = "search_vector") -> Column:
    from django.contrib.postgres.search import SearchVectorField

    return Column(name, SearchVectorField())


def matches(vector_column: Column, tsquery: str):
    return RawSQLFunc("({} @@ to_tsquery('danish'::regconfig, %s))", vector_column, tsquery, BooleanField())


def rank(vector_column: Column, tsquery: str):
    return RawSQLFunc("ts_rank({}, to_tsquery('danish'::regconfig, %s))", vector_column, tsquery, FloatField())


class RawSQLFunc(Expression):
    """``template`` with the column's SQL in place of {} and ``param`` (if not None) as its one parameter."""

    def __init__(self, template: str, column: Column, param: str, output_field):
        super().__init__(output_field=output_field)
        self.template, self.column, self.param = template, column, param

    def get_source_expressions(self):
        return [self.column]

    def set_source_expressions(self, exprs):
        (self.column,) = exprs

    def as_sql(self, compiler, connection):
        sql, params = compiler.compile(self.column)
        return self.template.format(sql), [*params] if self.param is None else [*params, self.param]


def no_rank() -> Value:
    return Value(0.0, output_field=FloatField())


def contains_any(fields: list[str], query: str) -> Q:
    """SQLite's search: the whole query as a substring of any of ``fields``."""
    q = Q()
    for field in fields:
        q |= Q(**{f"{field}__icontains": query})
    return q


def headline_html(text: str) -> str:
    """A headline from ts_headline, with everything escaped but the marks, which become <mark>."""
    return escape(text or "").replace(MARK_START, "<mark>").replace(MARK_STOP, "</mark>")


def snippet_html(text: str, words: list[str], *, width: int = 240) -> str:
    """SQLite's snippet: the text around the first word found, escaped, each word marked (case-insensitive)."""
    text = " ".join((text or "").split())
    lower = text.lower()
    found = [lower.find(w) for w in words if w and lower.find(w) >= 0]
    start = max(0, min(found) - width // 3) if found else 0
    piece = text[start : start + width]
    prefix = "… " if start > 0 else ""
    suffix = " …" if start + width < len(text) else ""
    if not words:
        return escape(prefix + piece + suffix)
    pattern = re.compile("|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)), re.IGNORECASE)
    out, last = [], 0
    for m in pattern.finditer(piece):
        out.append(escape(piece[last : m.start()]))
        out.append(f"<mark>{escape(m.group(0))}</mark>")
        last = m.end()
    out.append(escape(piece[last:]))
    return escape(prefix) + "".join(out) + escape(suffix)


def headline(body, tsquery: str):
    """ts_headline over ``body`` with the marks above (turned into <mark> by headline_html)."""
    from django.contrib.postgres.search import SearchHeadline, SearchQuery

    return SearchHeadline(
        body,
        SearchQuery(tsquery, search_type="raw", config=CONFIG),
        config=CONFIG,
        start_sel=MARK_START,
        stop_sel=MARK_STOP,
        max_words=30,
        min_words=12,
        max_fragments=2,
        fragment_delimiter=" … ",
    )


def WordSimilarity(query: str, column: str):  # noqa: N802 - an expression, named like one
    from django.contrib.postgres.search import TrigramWordSimilarity

    return TrigramWordSimilarity(query, column)
