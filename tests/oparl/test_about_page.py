"""The "Åbne data" page: linked from every page, it gives the API's address and the data's licence."""

import pytest

pytestmark = pytest.mark.django_db


def test_every_page_links_to_open_data_and_the_page_gives_address_and_licence(client, settings):
    settings.OPARL_LICENSE_NAME = "Min licens"
    settings.OPARL_LICENSE_URL = "https://example.org/licens"
    home = client.get("/").content.decode()
    assert 'href="/aabne-data/"' in home and "Åbne data" in home
    page = client.get("/aabne-data/").content.decode()
    assert "http://testserver/oparl/v1.1/" in page
    assert '<a href="https://example.org/licens">Min licens</a>' in page
    system = client.get("/oparl/v1.1/").json()
    assert system["license"] == "https://example.org/licens"
    assert system["oparlVersion"] == "https://schema.oparl.org/1.1/"


def test_the_page_speaks_english_too(client):
    client.cookies["django_language"] = "en"
    page = client.get("/aabne-data/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Open data" in page and "The data may be used freely under the licence" in page
