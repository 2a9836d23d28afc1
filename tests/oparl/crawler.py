"""A crawl of the portal's OParl 1.1 API through a Django test client, the way a client of the standard would walk
it: System → its ``body`` list → each Body → each of the Body's external lists, page by page along
``links.next``. Everything it finds is validated (tests/oparl/validator.py), every object's ``id`` is fetched and
must answer with the same object, and every URL on the site that any object names must answer 200.

Problems are collected, not raised, so one run reports all of them; ``Crawl.problems`` is [] when the API keeps
every rule. The crawler knows no URL but the start: it discovers the rest from the JSON.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlencode, urlsplit

from tests.oparl.validator import OPARL, embedded_objects, type_name, validate_object

START = "/oparl/v1.1/"
# Body's external lists and the type of object each holds.
BODY_LISTS = {
    "organization": "Organization",
    "person": "Person",
    "meeting": "Meeting",
    "paper": "Paper",
    "agendaItem": "AgendaItem",
    "consultation": "Consultation",
    "file": "File",
    "membership": "Membership",
    "locationList": "Location",
    "legislativeTermList": "LegislativeTerm",
}
# Keys of an object that may differ between its list entry and its own URL. The spec names none: a list holds the
# objects themselves (2.5, "Externe Objektlisten").
ALLOWED_TO_DIFFER: frozenset[str] = frozenset()
# Fields whose URL is a file's content rather than an API object: they must answer 200, in any format.
FILE_URL_FIELDS = frozenset({"accessUrl", "downloadUrl"})
MAX_PAGES = 10_000


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self):
        return json.loads(self.body)


@dataclass
class Crawl:
    """What one crawl saw: the objects by id (as listed), pages per list, object counts per type, the JSON of every
    API response (for searching the whole crawl for text that must not be there) and the problems."""

    base: str = ""
    objects: dict[str, dict] = field(default_factory=dict)
    embedded: dict[str, dict] = field(default_factory=dict)
    seen: Counter = field(default_factory=Counter)
    pages: dict[str, int] = field(default_factory=dict)
    documents: dict[str, object] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    responses: dict[str, Response] = field(default_factory=dict)
    file_urls: set[str] = field(default_factory=set)

    def text(self) -> str:
        """Every JSON document the crawl fetched, with non-ASCII kept as is, so a Danish phrase can be searched."""
        return "\n".join(json.dumps(doc, ensure_ascii=False) for doc in self.documents.values())

    def files_text(self) -> bytes:
        """The bytes of the files behind accessUrl and downloadUrl (not the site's HTML pages that ``web`` names,
        which show staff more than the public)."""
        return b"\n".join(self.responses[url].body for url in self.file_urls if url in self.responses)

    def problem_report(self) -> str:
        return f"{len(self.problems)} problems:\n" + "\n".join(self.problems)


class Crawler:
    """One crawl. ``client`` is a Django test client, or anything with ``get(path, **headers)`` that answers
    with ``status_code``, headers by ``response[name]``/``.get`` and ``content`` (tests use a fake one)."""

    def __init__(self, client, start: str = START):
        self.client = client
        self.start = start
        self.crawl = Crawl()

    # --- HTTP -----------------------------------------------------------------------------------------------------

    def _path(self, url: str) -> str:
        """A URL of the site as the test client's path (with its query)."""
        parts = urlsplit(url)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def fetch(self, url: str, *, expect_json: bool = True) -> Response | None:
        """GET ``url`` once (cached); problems for a status other than 200 or missing API headers."""
        if url in self.crawl.responses:
            return self.crawl.responses[url]
        raw = self.client.get(self._path(url))
        content = b"".join(raw.streaming_content) if getattr(raw, "streaming", False) else raw.content
        # No raw.close(): on a Django test response it sends request_finished, which closes the test's database
        # connection.
        headers = {name: raw.get(name) for name in ("Content-Type", "Access-Control-Allow-Origin", "ETag")}
        response = Response(status=raw.status_code, headers=headers, body=content)
        self.crawl.responses[url] = response
        if response.status != 200:
            self.crawl.problems.append(f"GET {url}: {response.status}, expected 200")
            return None
        if not expect_json:
            return response
        content_type = (headers["Content-Type"] or "").split(";")[0].strip()
        if content_type != "application/json":
            self.crawl.problems.append(
                f"GET {url}: Content-Type {headers['Content-Type']!r}, expected application/json"
            )
        if headers["Access-Control-Allow-Origin"] != "*":
            self.crawl.problems.append(
                f"GET {url}: Access-Control-Allow-Origin {headers['Access-Control-Allow-Origin']!r}, expected '*'"
            )
        try:
            self.crawl.documents[url] = response.json()
        except ValueError as e:
            self.crawl.problems.append(f"GET {url}: not JSON ({e})")
            return None
        return response

    def fetch_json(self, url: str):
        response = self.fetch(url)
        return None if response is None else self.crawl.documents.get(url)

    # --- Objects and lists ------------------------------------------------------------------------------------------

    def _record(self, obj, where: str, expected: str | None = None) -> bool:
        """Validate a top-level object; remember it and its embedded objects. False if it is not even an object."""
        problems = self.crawl.problems
        if not isinstance(obj, dict) or not isinstance(obj.get("id"), str):
            problems.append(f"{where}: not an OParl object with an id: {json.dumps(obj)[:200]}")
            return False
        name = type_name(obj)
        if expected and name != expected:
            problems.append(f"{where}: {obj['id']} has type {obj.get('type')!r}, expected {OPARL}{expected}")
        problems.extend(validate_object(obj))
        if name:
            self._count(obj)
        for path, sub in embedded_objects(obj):
            if isinstance(sub.get("id"), str):
                self.crawl.embedded.setdefault(sub["id"], sub)
                self._count(sub)
            else:
                problems.append(f"{obj['id']}{path}: embedded object without an id")
        return True

    def _count(self, obj: dict) -> None:
        key = (type_name(obj), obj["id"])
        if key not in self._counted:
            self._counted.add(key)
            self.crawl.seen[key[0]] += 1

    def walk_list(self, url: str, expected: str | None, *, name: str | None = None) -> list[dict]:
        """Every object of an external list, page by page along links.next, with the page checks of OParl 1.1,
        2.5 ("Paginierung"): data, pagination and links on every page, no object twice, totals that add up."""
        problems, items, ids, seen_pages = self.crawl.problems, [], set(), set()
        page_url, pages, declared = url, 0, {}
        while page_url:
            if page_url in seen_pages or pages >= MAX_PAGES:
                problems.append(f"list {url}: links.next loops back to {page_url}")
                break
            seen_pages.add(page_url)
            page = self.fetch_json(page_url)
            if page is None:
                break
            pages += 1
            if not isinstance(page, dict) or not isinstance(page.get("data"), list):
                problems.append(f"list page {page_url}: no 'data' list")
                break
            for key in ("pagination", "links"):
                if not isinstance(page.get(key), dict):
                    problems.append(f"list page {page_url}: no {key!r} object")
            pagination, links = page.get("pagination") or {}, page.get("links") or {}
            for key, value in pagination.items():
                if not isinstance(value, int) or isinstance(value, bool):
                    problems.append(f"list page {page_url}: pagination.{key} is {value!r}, not an integer")
                elif key in ("totalElements", "totalPages"):
                    declared.setdefault(key, value)
            for i, obj in enumerate(page["data"]):
                if not self._record(obj, f"list page {page_url} data[{i}]", expected):
                    continue
                if obj["id"] in ids:
                    problems.append(f"list {url}: {obj['id']} appears twice")
                    continue
                ids.add(obj["id"])
                if obj.get("deleted") is True and "modified_since" not in parse_qs(urlsplit(url).query):
                    problems.append(f"list {url}: deleted object {obj['id']} listed without modified_since")
                items.append(obj)
            next_url = links.get("next")
            if next_url is not None and not (isinstance(next_url, str) and next_url.startswith(self.crawl.base)):
                problems.append(f"list page {page_url}: links.next {next_url!r} is not a URL of the API")
                break
            if next_url and not page["data"]:
                problems.append(f"list page {page_url}: empty page with a links.next")
            page_url = next_url
        if "totalElements" in declared and declared["totalElements"] != len(items):
            problems.append(
                f"list {url}: pagination.totalElements {declared['totalElements']}, but {len(items)} listed"
            )
        if "totalPages" in declared and declared["totalPages"] != pages:
            problems.append(f"list {url}: pagination.totalPages {declared['totalPages']}, but {pages} pages")
        self.crawl.pages[name or url] = pages
        for obj in items:
            self.crawl.objects.setdefault(obj["id"], obj)
        return items

    # --- The crawl --------------------------------------------------------------------------------------------------

    def run(self) -> Crawl:
        self._counted: set = set()
        crawl, problems = self.crawl, self.crawl.problems
        system = self.fetch_json(f"http://testserver{self.start}")
        if system is None:
            return crawl
        if not self._record(system, f"GET {self.start}", "System"):
            return crawl
        crawl.base = system["id"]
        crawl.objects[system["id"]] = system
        if not crawl.base.endswith(self.start):
            problems.append(f"System id {crawl.base!r} is not the URL it was fetched from ({self.start})")
        bodies_url = system.get("body")
        if not isinstance(bodies_url, str):
            return crawl
        for body in self.walk_list(bodies_url, "Body", name="body"):
            for key, expected in BODY_LISTS.items():
                if isinstance(body.get(key), str):
                    self.walk_list(body[key], expected, name=f"{body['id']} {key}")
        self._check_embedded_are_listed()
        self._check_ids()
        self._check_references()
        return crawl

    def _check_embedded_are_listed(self) -> None:
        """An object shown inside another is also in its Body's list of that type, or a client that reads only
        the lists never sees it."""
        for obj_id, obj in self.crawl.embedded.items():
            if obj_id not in self.crawl.objects and obj.get("deleted") is not True:
                self.crawl.problems.append(f"{obj_id} ({type_name(obj)}) is embedded in an object but in no list")

    def _check_ids(self) -> None:
        """OParl 1.1, 2.2: an object's id is its URL. Listed objects must equal what their URL answers; embedded
        ones may leave out fields (the back reference to their parent), but each field they show must agree."""
        problems = self.crawl.problems
        for obj_id, listed in list(self.crawl.objects.items()) + list(self.crawl.embedded.items()):
            if not obj_id.startswith(self.crawl.base):
                problems.append(f"{obj_id}: id outside the API base {self.crawl.base}")
                continue
            fetched = self.fetch_json(obj_id)
            if fetched is None:
                continue
            if self.crawl.objects.get(obj_id) is listed:
                a = {k: v for k, v in fetched.items() if k not in ALLOWED_TO_DIFFER}
                b = {k: v for k, v in listed.items() if k not in ALLOWED_TO_DIFFER}
                if a != b:
                    problems.append(f"GET {obj_id} differs from its list entry: {_diff(b, a)}")
            else:
                if obj_id not in self.crawl.objects:
                    problems.extend(validate_object(fetched))
                differing = sorted(k for k, v in listed.items() if fetched.get(k) != v)
                if differing:
                    problems.append(f"GET {obj_id} differs from the embedded object in: {', '.join(differing)}")

    def _check_references(self) -> None:
        """Every URL of the site that an object names answers 200: API URLs as JSON with the API's headers,
        accessUrl and downloadUrl in any format."""
        origin = "{0.scheme}://{0.netloc}/".format(urlsplit(self.crawl.base))
        api, files = set(), set()
        for doc in list(self.crawl.documents.values()):
            for key, value in _strings(doc):
                if not value.startswith(origin):
                    continue
                if key in FILE_URL_FIELDS:
                    self.crawl.file_urls.add(value)
                if key in FILE_URL_FIELDS or not value.startswith(self.crawl.base):
                    files.add(value)
                else:
                    api.add(value)
        for url in sorted(api):
            self.fetch(url)
        for url in sorted(files - api):
            self.fetch(url, expect_json=False)


def _strings(doc, key=None):
    """(field name, value) for every string in a JSON document, at any depth."""
    if isinstance(doc, dict):
        for k, v in doc.items():
            yield from _strings(v, k)
    elif isinstance(doc, list):
        for v in doc:
            yield from _strings(v, key)
    elif isinstance(doc, str):
        yield key, doc


def _diff(expected: dict, got: dict) -> str:
    keys = sorted(k for k in set(expected) | set(got) if expected.get(k, "<absent>") != got.get(k, "<absent>"))
    return "; ".join(f"{k}: list {expected.get(k, '<absent>')!r} vs own URL {got.get(k, '<absent>')!r}" for k in keys)[
        :2000
    ]


def crawl(client, start: str = START) -> Crawl:
    """Crawl the API from ``start``; see the module docstring."""
    return Crawler(client, start).run()


def with_query(url: str, **params) -> str:
    """``url`` with ``params`` added to its query string (URL-encoded: a date-time's + must be %2B)."""
    parts = urlsplit(url)
    query = parts.query + ("&" if parts.query else "") + urlencode(params)
    return parts._replace(query=query).geturl()


def list_all(client, url: str, expected: str | None = None, base: str | None = None) -> tuple[list[dict], Crawl]:
    """One external list, page by page, through a fresh crawler: (its objects, the crawl with its problems and
    the JSON of every page in order)."""
    crawler = Crawler(client)
    crawler._counted = set()
    crawler.crawl.base = base or "{0.scheme}://{0.netloc}/".format(urlsplit(url))
    items = crawler.walk_list(url, expected, name="list")
    return items, crawler.crawl
