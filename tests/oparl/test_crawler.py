"""The crawler itself, on a tiny fake OParl API (a dict of URL → JSON behind a fake client): a correct API gives no
problems, and each way of breaking the rules is reported with the URL at fault. No database."""

import copy
import json
from urllib.parse import urlsplit

import pytest

from tests.oparl.crawler import crawl, list_all, with_query

API = "http://testserver/oparl/v1.1/"
T1, T2 = "2019-03-01T10:00:00+01:00", "2019-03-02T11:30:00+01:00"
TYPE = "https://schema.oparl.org/1.1/"


class FakeResponse:
    def __init__(self, status: int, body: bytes, headers: dict):
        self.status_code, self.content, self._headers = status, body, headers
        self.streaming = False

    def get(self, name, default=None):
        return self._headers.get(name, default)


class FakeClient:
    """Answers GET from ``pages`` (URL → JSON or bytes) with the API's headers; 404 for anything else."""

    def __init__(self, pages: dict, headers: dict | None = None):
        self.pages, self.requested = pages, []
        self.headers = headers or {"Content-Type": "application/json", "Access-Control-Allow-Origin": "*"}

    def get(self, path, **extra):
        self.requested.append(path)
        url = "http://testserver" + path
        if url not in self.pages:
            return FakeResponse(404, b"<h1>Not found</h1>", {"Content-Type": "text/html"})
        value = self.pages[url]
        if isinstance(value, bytes):
            return FakeResponse(200, value, {"Content-Type": "application/pdf"})
        return FakeResponse(200, json.dumps(value).encode(), dict(self.headers))


def obj(kind: str, path: str, **fields) -> dict:
    return {"id": API + path, "type": TYPE + kind, **fields, "created": T1, "modified": T2}


def page(items: list, next_url: str | None = None, **pagination) -> dict:
    links = {"next": next_url} if next_url else {}
    return {"data": items, "pagination": pagination, "links": links}


def world() -> dict:
    """A small, correct API: one body, two meetings on two list pages, an agenda item embedded in its meeting and
    listed, a file embedded as the meeting's invitation, with its PDF."""
    body_url = API + "body/1/"
    lists = {key: f"{body_url}{key}/" for key in ("organization", "person", "meeting", "paper")}
    lists |= {k: f"{body_url}{k}/" for k in ("agendaItem", "consultation", "file", "membership")}
    lists |= {"locationList": f"{body_url}location/", "legislativeTermList": f"{body_url}term/"}
    term = obj("LegislativeTerm", "term/1/", body=body_url, name="2018–2021", startDate="2018-01-01")
    body = obj("Body", "body/1/", system=API, name="Gentofte Kommune", legislativeTerm=[term], **lists)
    system = obj("System", "", oparlVersion=TYPE, body=API + "bodies/", name="Gentofte")
    org = obj("Organization", "organization/1/", body=body_url, name="Økonomiudvalget")
    person = obj("Person", "person/1/", body=body_url, name="Anne Holm")
    membership = obj("Membership", "membership/1/", person=person["id"], organization=org["id"], role="formand")
    location = obj("Location", "location/1/", description="Rådhuset")
    pdf = API + "file/1/download/"
    file = obj("File", "file/1/", name="Dagsorden", accessUrl=pdf, mimeType="application/pdf", size=7)
    item = obj("AgendaItem", "agendaitem/1/", meeting=API + "meeting/1/", number="1", order=1, name="Budget")
    embedded_item = {k: v for k, v in item.items() if k != "meeting"}  # embedded: no back reference
    meeting1 = obj("Meeting", "meeting/1/", name="Møde 1", start=T1, location=location, organization=[org["id"]]) | {
        "invitation": file,
        "agendaItem": [embedded_item],
    }
    meeting2 = obj("Meeting", "meeting/2/", name="Møde 2", start=T2, organization=[org["id"]])
    paper = obj("Paper", "paper/1/", body=body_url, name="Kommissorium")
    consultation = obj("Consultation", "consultation/1/", paper=paper["id"], agendaItem=item["id"])
    pages = {
        API: system,
        API + "bodies/": page([body], totalElements=1),
        body_url: body,
        lists["organization"]: page([org]),
        lists["person"]: page([person]),
        lists["meeting"]: page([meeting1], lists["meeting"] + "?page=2", totalElements=2, totalPages=2),
        lists["meeting"] + "?page=2": page([meeting2], totalElements=2, totalPages=2),
        lists["paper"]: page([paper]),
        lists["agendaItem"]: page([item]),
        lists["consultation"]: page([consultation]),
        lists["file"]: page([file]),
        lists["membership"]: page([membership]),
        lists["locationList"]: page([location]),
        lists["legislativeTermList"]: page([term]),
        pdf: b"%PDF-1.7",
    }
    for o in (system, body, org, person, membership, location, file, item, meeting1, meeting2, paper, consultation):
        pages[o["id"]] = o
    pages[term["id"]] = term
    return pages


def test_a_correct_api_gives_no_problems_and_every_type_is_counted():
    result = crawl(FakeClient(world()))
    assert result.problems == []
    assert dict(result.seen) == {
        "System": 1,
        "Body": 1,
        "LegislativeTerm": 1,
        "Organization": 1,
        "Person": 1,
        "Membership": 1,
        "Meeting": 2,
        "AgendaItem": 1,
        "Paper": 1,
        "Consultation": 1,
        "File": 1,
        "Location": 1,
    }
    assert result.pages[API + "body/1/ meeting"] == 2
    assert "Økonomiudvalget" in result.text()
    assert b"%PDF-1.7" in result.files_text()


def test_no_api_is_one_clear_problem():
    assert crawl(FakeClient({})).problems == ["GET http://testserver/oparl/v1.1/: 404, expected 200"]


def mutate(change) -> list[str]:
    pages = {url: copy.deepcopy(value) for url, value in world().items()}  # each page its own objects
    change(pages)
    return crawl(FakeClient(pages)).problems


def meeting_page(pages, n=1):
    return pages[API + ("body/1/meeting/" if n == 1 else "body/1/meeting/?page=2")]


BREAKAGES = {
    "a Z date-time in a list": (
        lambda p: meeting_page(p, 2)["data"][0].update(start="2019-03-02T10:30:00Z"),
        "meeting/2/.start: '2019-03-02T10:30:00Z' is not a date-time",
    ),
    "a null field": (
        lambda p: p[API + "body/1/person/"]["data"][0].update(familyName=None),
        "person/1/.familyName: null",
    ),
    "a missing modified in an embedded object": (
        lambda p: meeting_page(p)["data"][0]["invitation"].pop("modified"),
        "meeting/1/.invitation: File without 'modified'",
    ),
    "the object at its URL differs from the list": (
        lambda p: p[API + "meeting/2/"].update(name="Andet navn"),
        "GET http://testserver/oparl/v1.1/meeting/2/ differs from its list entry: name: list 'Møde 2' vs own URL",
    ),
    "an embedded object differs from its URL": (
        lambda p: p[API + "agendaitem/1/"].update(name="Andet navn"),
        "differs from its list entry",
    ),
    "an id that does not answer": (
        lambda p: p.pop(API + "organization/1/"),
        "GET http://testserver/oparl/v1.1/organization/1/: 404, expected 200",
    ),
    "a referenced URL that does not answer": (
        lambda p: p.pop(API + "file/1/download/"),
        "GET http://testserver/oparl/v1.1/file/1/download/: 404, expected 200",
    ),
    "a broken links.next": (
        lambda p: meeting_page(p)["links"].update(next=API + "body/1/meeting/?page=9"),
        "GET http://testserver/oparl/v1.1/body/1/meeting/?page=9: 404, expected 200",
    ),
    "a links.next that loops": (
        lambda p: meeting_page(p, 2)["links"].update(next=API + "body/1/meeting/"),
        "links.next loops back",
    ),
    "a relative links.next": (
        lambda p: meeting_page(p)["links"].update(next="/oparl/v1.1/body/1/meeting/?page=2"),
        "is not a URL of the API",
    ),
    "a wrong totalElements": (
        lambda p: meeting_page(p)["pagination"].update(totalElements=3),
        "pagination.totalElements 3, but 2 listed",
    ),
    "a page without pagination": (lambda p: meeting_page(p).pop("pagination"), "no 'pagination' object"),
    "an object twice": (
        lambda p: meeting_page(p, 2)["data"].append(copy.deepcopy(meeting_page(p)["data"][0])),
        "meeting/1/ appears twice",
    ),
    "an object of the wrong type in a list": (
        lambda p: p[API + "body/1/paper/"]["data"].append(copy.deepcopy(p[API + "person/1/"])),
        "has type 'https://schema.oparl.org/1.1/Person', expected https://schema.oparl.org/1.1/Paper",
    ),
    "a missing Body list link": (
        lambda p: [p[API + "body/1/"].pop("locationList"), p[API + "bodies/"]["data"][0].pop("locationList")],
        "Body without the list link 'locationList'",
    ),
    "an embedded object in no list": (
        lambda p: p[API + "body/1/file/"]["data"].clear(),
        "http://testserver/oparl/v1.1/file/1/ (File) is embedded in an object but in no list",
    ),
    "a deleted object in a list without modified_since": (
        lambda p: p[API + "body/1/paper/"]["data"].__setitem__(
            0, {"id": API + "paper/1/", "type": TYPE + "Paper", "deleted": True, "modified": T2}
        ),
        "deleted object http://testserver/oparl/v1.1/paper/1/ listed without modified_since",
    ),
}


@pytest.mark.parametrize("what", BREAKAGES)
def test_each_breakage_is_reported(what):
    change, message = BREAKAGES[what]
    problems = mutate(change)
    assert any(message in p for p in problems), problems


def test_missing_api_headers_are_reported_for_every_response():
    pages = world()
    problems = crawl(FakeClient(pages, headers={"Content-Type": "text/html; charset=utf-8"})).problems
    assert f"GET {API}: Content-Type 'text/html; charset=utf-8', expected application/json" in problems
    assert f"GET {API}: Access-Control-Allow-Origin None, expected '*'" in problems
    assert sum("Access-Control-Allow-Origin" in p for p in problems) == len(
        [v for v in pages.values() if isinstance(v, dict)]
    )


def test_list_all_follows_the_pages_and_keeps_the_query():
    client = FakeClient(world())
    items, result = list_all(client, API + "body/1/meeting/", "Meeting")
    assert [o["name"] for o in items] == ["Møde 1", "Møde 2"]
    assert result.problems == [] and result.pages == {"list": 2}
    url = with_query(API + "body/1/meeting/", modified_since=T1)
    assert urlsplit(url).query == "modified_since=2019-03-01T10%3A00%3A00%2B01%3A00"
    assert list_all(client, url)[1].problems == [f"GET {url}: 404, expected 200"]
