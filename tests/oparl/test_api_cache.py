"""Crawlers read the API from the public page cache, which any change empties at once; a client holding an answer
gets 304; and an answer names the host it was asked on, also when cached."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from committees.models import Municipality
from tests.factories import TermFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.PORTAL_PUBLIC_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


def test_answers_come_from_the_cache_until_something_changes(client):
    term = TermFactory()
    url = f"/oparl/v1.1/body/{term.municipality.pk}/legislativeTerm/"
    first = client.get(url)
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url)
    assert again.content == first.content and len(queries) == 0
    TermFactory(municipality=term.municipality, slug="2022-2025")
    assert len(client.get(url).json()["data"]) == 2


def test_a_client_with_the_answer_gets_304_also_from_the_cache(client):
    TermFactory()
    first = client.get("/oparl/v1.1/")
    for _ in range(2):  # rendered, then cached
        response = client.get("/oparl/v1.1/", HTTP_IF_NONE_MATCH=first["ETag"])
        assert response.status_code == 304 and response["ETag"] == first["ETag"]
        assert response["Access-Control-Allow-Origin"] == "*"


def test_each_host_gets_its_own_urls(client, settings):
    settings.ALLOWED_HOSTS = ["udvalg.example.dk", "intra.example.dk", "testserver"]
    TermFactory()
    body = Municipality.objects.get().pk
    for host in ("udvalg.example.dk", "intra.example.dk"):
        data = client.get(f"/oparl/v1.1/body/{body}/", HTTP_HOST=host).json()
        assert data["id"] == f"http://{host}/oparl/v1.1/body/{body}/"
