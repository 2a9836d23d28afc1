"""The Danish words the issue names, on PostgreSQL's full-text search (``danish`` configuration, prefix matching,
pg_trgm similarity): skipped on SQLite, whose search is a plain substring match (README: Search).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/search_test .venv/bin/pytest tests/gentofte_portal/test_search*.py
"""

import re

import pytest
from django.db import connection
from django.test import Client

from meetings.models import AgendaItem
from tests.gentofte_portal.search_world import build_world

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text search needs DATABASE_URL (PostgreSQL)"),
]


@pytest.fixture
def world():
    return build_world()


def results(client, **params) -> str:
    response = client.get("/soeg/", params)
    assert response.status_code == 200
    match = re.search(r'<section aria-labelledby="resultater">(.*?)</section>', response.content.decode(), re.S)
    return match.group(1) if match else ""


def titles(section: str) -> list[str]:
    return re.findall(r'class="fw-semibold">([^<]*)</a>', section)


@pytest.mark.parametrize(
    "query, finds",
    [
        ("dagsorden", "1. Godkendelse af dagsordener"),  # inflection
        ("kommissorium", "Kommissorium for Opgaveudvalget for Trafik, revision 1"),  # "Kommissoriet" in its text
        ("udvalg", "Opgaveudvalget for Trafik"),  # a compound's last part
        ("børn", "Børneudvalget"),  # a compound's first part
        ("kommisorium", "2. Godkendelse af kommissorium for skolevejen"),  # a misspelling
    ],
)
def test_danish_words_find_their_inflections_compounds_and_misspellings(world, query, finds):
    AgendaItem.objects.create(meeting=world.old_meeting, position=2, title="Godkendelse af kommissorium for skolevejen")
    assert finds in titles(results(Client(), q=query))


def test_a_title_hit_ranks_above_a_body_hit(world):
    AgendaItem.objects.create(meeting=world.meeting, position=5, title="Om rækkefølge", summary="Cykelparkering nævnt")
    AgendaItem.objects.create(meeting=world.meeting, position=6, title="Cykelparkering ved rådhuset")
    found = titles(results(Client(), q="cykelparkering"))
    assert found[0] == "6. Cykelparkering ved rådhuset"
    assert "5. Om rækkefølge" in found


def test_snippets_mark_the_words_found(world):
    section = results(Client(), q="trafiksikkerhed")
    assert "<mark>trafiksikkerhed</mark>" in section


def test_the_search_vectors_are_generated_columns_with_gin_indexes(world):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_indexes WHERE indexdef LIKE '%%USING gin (search_vector)%%' ORDER BY 1"
        )
        tables = [row[0] for row in cursor.fetchall()]
    assert tables == [
        "committees_committee",
        "committees_mandate",
        "meetings_agendaitem",
        "meetings_attachment",
        "meetings_minutes",
        "pages_searchentry",  # the public search index (anonymous visitors)
        "recruitment_call",
    ]
