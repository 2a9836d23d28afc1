"""Hostile input for every form the portal serves: the strategies, one shared world of data, and the checks.

Each fuzz module (tests/<app>/test_hostile_input_<app>.py) lists its forms as ``FormSpec`` rows; hypothesis builds
a request body per example from hostile values (very long strings, NUL and other control characters, HTML and
script, wrong types, huge numbers, odd unicode, SQL-ish text), valid values (so deeper validation runs too),
missing fields and random extra fields, and for file fields hostile names and contents. For each example:

- no exception (the test client re-raises a view's exception, so a would-be 500 fails the test) and the status is
  one the portal may answer with;
- the rendered HTML never holds a script payload unescaped, neither the response nor the page a redirect leads to;
- no text in any portal model (committees, recruitment, meetings, gentofte_portal, their history tables included)
  holds a control character other than tab, newline and carriage return;
- a rejected request (4xx) changed nothing in those tables, and a refused form (400) shows a message.

Every example runs inside a transaction that is rolled back, so each starts from the same world. The world is built
once per module (``world`` fixture) inside an outer transaction, also rolled back.

HOSTILE_EXAMPLES (default 25) sets hypothesis' examples per form; the run is derandomized (reproducible in CI) and
keeps no example database. To hunt for new bugs, run more and other examples: HOSTILE_EXAMPLES=300 HOSTILE_RANDOM=1.
``sweep`` adds a deterministic pass per form: each field alone gets a few sharp values in an otherwise valid body.
HOSTILE_DEBUG=1 (with pytest -s) prints each example's form, status and URL.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import os
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

# --- Hypothesis budget --------------------------------------------------------------------------------------------

EXAMPLES = int(os.environ.get("HOSTILE_EXAMPLES", "25"))
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,  # results never depend on a local example database
    derandomize=not os.environ.get("HOSTILE_RANDOM"),  # the same examples on every run and in CI
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
    print_blob=True,
)

# --- Hostile values -----------------------------------------------------------------------------------------------

SCRIPT = "<script>alert(1)</script>"
# Raw payloads that must never reach a page unescaped.
HTML_PAYLOADS = [
    SCRIPT,
    "<img src=x onerror=alert(1)>",
    "\"'><svg onload=alert(1)>",
    "</textarea><script>alert(1)</script>",
    "<iframe src=javascript:alert(1)>",
]
HTML_VALUES = HTML_PAYLOADS + [
    "javascript:alert(1)",
    "[klik](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "{{ request.user }}{% debug %}",
    "&lt;script&gt;",
    "<!--",
    "]]>",
]
CONTROL_CHARS = [chr(c) for c in range(0x20) if chr(c) not in "\t\n\r"] + ["\x7f", "\x85", "\x9f"]
NUMBERS = [
    "9" * 400,
    "-" + "9" * 400,
    "-1e309",
    "1e308",
    "1e309",
    "NaN",
    "-NaN",
    "Infinity",
    "-Infinity",
    "-1",
    "-0",
    "0",
    "1.5",
    "1,5",
    "0x10",
    "1_000",
    "²",  # a digit to str.isdigit(), not to int()
    "١٢٣",  # Arabic-Indic digits
    "１９８５",  # full-width digits
    "2147483648",
    "32768",
    "65536",
    "9223372036854775808",
    " 7 ",
]
DATES = [
    "0000-00-00",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "2019-02-30",
    "2019-13-01",
    "1900-01-01",
    "31.12.2019",
    "2019-1-1",
    "2026-11-23T25:61",
    "yesterday",
]
DATETIMES = [
    "0001-01-01T00:00",
    "0001-01-01 00:30",
    "9999-12-31T23:59",
    "9999-12-31 23:59",
    "2019-03-31T02:30",  # does not exist in Danish time (summer time starts)
    "2019-10-27T02:30",  # happens twice in Danish time
    "2019-02-30T10:00",
    "2030-01-01T24:00",
    "2030-01-01",
    "2030-01-01T10:00:00+05:00",
]
TIMES = ["24:00", "23:60", "-1:00", "12:00:00.9999999", "25", "noon", "00:00"]
UNICODE = [
    "\u202eevil\u202c",  # right-to-left override
    "שלום עולם",
    "مرحبا",
    "😀🎉👩‍👩‍👧",
    "e\u0301\u0301\u0301\u0301",  # combining marks
    "Z̴̢̛̪̹̻͎͇̓̀͒a̵̧̘̎l̸̝̈g̵̣̋o̷̱͑",
    "\u200b\u200d\ufeff",  # zero width and BOM
    "\u2028\u2029",  # line and paragraph separators
    "ß" * 30,  # upper() doubles its length
    "ﬃ" * 30,
    "İ",
    "\U0001f600" * 2000,
]
SQLISH = [
    "' OR '1'='1' --",
    "'; DROP TABLE committees_committee; --",
    '" OR ""="',
    "%",
    "_",
    "%%_%",
    "\\",
    "\\x00",
    "%00",
    "../../../../etc/passwd",
    "NULL",
    "None",
    "null",
    "undefined",
    "true",
    "[]",
    "{}",
    "[object Object]",
]
BLANKS = ["", " ", "   \t  ", "\n", "\r\n\r\n", "\u00a0", "\u3000"]
LONG_PIECES = ["a", "Æblegrød ", SCRIPT, "9", "\U0001f600", "' OR 1=1 -- ", "- punkt\n", "x\u0301"]
WORDS = st.sampled_from(["", "a", "Gentofte", "Udvalg for unge", "2900", "1", "kladde", "on"])


def long_strings() -> st.SearchStrategy[str]:
    """10,000 to 100,000 characters, from a repeated piece, with sometimes a NUL or a script at the end."""
    return st.builds(
        lambda piece, n, tail: (piece * (n // len(piece) + 1))[:n] + tail,
        st.sampled_from(LONG_PIECES),
        st.integers(10_000, 100_000),
        st.sampled_from(["", "\x00", SCRIPT, "\x1b[31m"]),
    )


def with_control() -> st.SearchStrategy[str]:
    return st.builds(lambda a, c, b: a + c + b, WORDS, st.sampled_from(CONTROL_CHARS), WORDS)


def hostile_text() -> st.SearchStrategy[str]:
    """One hostile string (never a lone surrogate: a browser cannot send one)."""
    return st.one_of(
        st.sampled_from(HTML_VALUES),
        with_control(),
        long_strings(),
        st.sampled_from(NUMBERS + SQLISH + UNICODE + BLANKS),
        st.text(max_size=40),
    )


def hostile_for(kind: str) -> st.SearchStrategy[str]:
    """Hostile values that target a field's kind first, any hostile text after."""
    special = {
        "int": st.sampled_from(NUMBERS),
        "date": st.sampled_from(DATES + NUMBERS[:4]),
        "datetime": st.sampled_from(DATETIMES + DATES[:3]),
        "time": st.sampled_from(TIMES),
        "bool": st.sampled_from(["on", "off", "true", "false", "0", "1", "", "None"]),
        "email": st.sampled_from(
            ["a@b", "a@" + "b" * 300 + ".dk", "<script>@x.dk", "alma@example.org\x00", "@", "a b@c.dk", "æø@å.dk"]
        ),
    }.get(kind)
    return st.one_of(special, hostile_text()) if special is not None else hostile_text()


# --- Hostile files ------------------------------------------------------------------------------------------------


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def minimal_pdf_bytes() -> bytes:
    from gentofte_portal.devdata.meetings import minimal_pdf

    return minimal_pdf("Bilag")


_CONTENT_TYPES_XML = (
    b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
)
FILE_CONTENTS = {
    "pdf": None,  # filled lazily: minimal_pdf needs Django set up
    "png": b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64,
    "jpeg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64 + b"\xff\xd9",
    "docx": _zip({"[Content_Types].xml": _CONTENT_TYPES_XML, "word/document.xml": b"<w:document/>"}),
    "exe": b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64,
    "html": b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
    "empty": b"",
    "text-with-nul": b"abc\x00def",
    "fake-pdf": b"%PDF-" + b"\x00\xff" * 200,
    "fake-zip": b"PK\x03\x04" + b"garbage" * 50,
    "zip": _zip({"readme.txt": b"hej"}),
    "svg": b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
    "big": b"%PDF-1.4\n" + b"0" * 600_000,
}
FILE_NAMES = [
    "bilag.pdf",
    "../../../etc/passwd",
    "..\\..\\windows\\system32\\cmd.exe",
    "a\x00.pdf",
    "ny\x01linje\x1b.pdf",
    "tab\tog\nlinje.pdf",
    "<script>alert(1)</script>.pdf",
    "&lt;script&gt;alert(1)&lt;/script&gt;.pdf",
    "\"'><svg onload=alert(1)>.png",
    "x" * 400 + ".pdf",
    ".pdf",
    ".",
    "..",
    "con.pdf",
    "bilag\u202egpj.exe",
    "😀.pdf",
    "résumé.docx",
    "no-extension",
    " ",
    "a.pdf.exe",
    "%00.pdf",
    "'; DROP TABLE meetings_attachment; --.pdf",
]


@dataclass
class Upload:
    """A file as a hostile client sends it: any name (path parts, NUL, quotes, newlines), any type, any bytes.
    Encoded by ``encode_multipart`` below, not by the test client, which would keep only the name's basename."""

    name: str
    data: bytes
    content_type: str = "application/octet-stream"


def valid_pdf(world=None) -> Upload:
    return Upload("Notat om budget.pdf", minimal_pdf_bytes(), "application/pdf")


def _file_data(kind: str) -> bytes:
    if FILE_CONTENTS[kind] is None:
        FILE_CONTENTS[kind] = minimal_pdf_bytes()
    return FILE_CONTENTS[kind]


def hostile_upload() -> st.SearchStrategy[Upload]:
    return st.builds(
        lambda name, kind, content_type: Upload(name, _file_data(kind), content_type),
        st.one_of(st.sampled_from(FILE_NAMES), st.text(max_size=30)),
        st.sampled_from(sorted(FILE_CONTENTS)),
        st.sampled_from(["application/pdf", "text/html", "image/png", "application/octet-stream", "x/\x01", ""]),
    )


# --- The form table -----------------------------------------------------------------------------------------------


@dataclass
class F:
    """A field of a form: its kind (text, int, date, datetime, time, choice, multi, bool, email, file) and, for a
    valid submission, a value (or a function of the world giving one), plus the choices of a choice field."""

    kind: str = "text"
    valid: object = None
    choices: object = None  # list, or function of the world


MISSING = object()
# The button of the confirmation page before an action that cannot be undone (gentofte_portal.common.confirm).
CONFIRM = F("choice", "ja", ["ja"])


@dataclass
class FormSpec:
    """A form served over HTTP: the URL name it posts to, how to build its URL from the world, its fields, who
    submits it, and GET or POST."""

    name: str  # URL name, e.g. "recruitment:apply"; the coverage test matches it against the URLconf
    url: Callable  # world -> path, or list of paths (one is drawn per example)
    fields: dict[str, F] | Callable = field(default_factory=dict)  # or a function of the world giving them
    user: str = "staff"  # key in world.users; "anon" for nobody
    method: str = "POST"
    label: str = ""  # to tell several rows for one URL apart
    multipart: bool = False
    settings: dict = field(default_factory=dict)  # Django settings for this form's requests
    valid_status: int | None = None  # what the valid body answers (302 for a POST, 200 for a GET, unless given)
    show: Callable | None = None  # world -> pages that show what the form stores, checked after it succeeded

    @property
    def id(self) -> str:
        return f"{self.method} {self.name}" + (f" ({self.label})" if self.label else "")


def resolve(value, world):
    return value(world) if callable(value) else value


def valid_value(f: F, world):
    value = resolve(f.valid, world)
    if value is None and f.choices is not None:
        choices = resolve(f.choices, world)
        value = choices[0] if choices else ""
    return value


def field_strategy(f: F, world) -> st.SearchStrategy:
    """A value for one field: valid, hostile for its kind, a list where one value is expected, or missing."""
    options = []
    valid = valid_value(f, world)
    if valid is not None:
        options += [st.just(valid)] * 2
    if f.kind == "file":
        return st.one_of(*options, hostile_upload(), hostile_text(), st.just(MISSING))
    if f.choices is not None:
        choices = [str(c) for c in resolve(f.choices, world)]
        if choices:
            options.append(st.sampled_from(choices))
            options.append(st.lists(st.sampled_from(choices), min_size=0, max_size=4))
    options += [
        hostile_for(f.kind),
        hostile_for(f.kind),
        st.lists(hostile_for(f.kind), min_size=2, max_size=3),
        st.just(MISSING),
    ]
    return st.one_of(*options)


EXTRA_KEYS = [
    "status",
    "lock_version",
    "revision",
    "is_superuser",
    "committee",
    "id",
    "pk",
    "action",
    "csrfmiddlewaretoken",
    "next",
    "DELETE",
    "leverancer-TOTAL_FORMS",
    "approved_on",
    "published_at",
    "caseworkers",
    "seat_group",
    "website",
    "file",
    "x" * 300,
    "æøå",
    "a[b]",
    "",
]


@st.composite
def request_body(draw, spec: FormSpec, world):
    """A request body for ``spec``: a valid body with one field made hostile, every field drawn on its own, or
    everything hostile; then a few hostile extra fields."""
    fields = resolve(spec.fields, world)
    mode = draw(st.sampled_from(["one", "one", "each", "all"]))
    valid = {name: valid_value(f, world) for name, f in fields.items()}
    body = {}
    target = draw(st.sampled_from(sorted(fields))) if fields else None
    for name, f in fields.items():
        if mode == "one" and name != target and valid[name] is not None:
            value = valid[name]
        elif mode == "all":
            value = draw(st.one_of(hostile_upload(), st.just(MISSING)) if f.kind == "file" else hostile_for(f.kind))
        else:
            value = draw(field_strategy(f, world))
        if value is not MISSING and value is not None:
            body[name] = value
    extra_keys = st.one_of(
        st.sampled_from(EXTRA_KEYS), st.text(alphabet="abcdefghijklmnopqrstuvwxyz_-0123456789", min_size=1)
    )
    body.update(draw(st.dictionaries(extra_keys, hostile_text(), max_size=3)))
    return body


# --- Checks -------------------------------------------------------------------------------------------------------

ALLOWED_STATUS = {200, 302, 303, 400, 403, 404, 409, 410, 422, 429}
PORTAL_APPS = ["committees", "recruitment", "meetings", "gentofte_portal", "subscriptions", "network", "evaluation"]
# Control characters (Unicode category Cc) other than tab, newline and carriage return: C0, DEL and C1.
GARBAGE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def portal_models():
    return [
        model
        for label in PORTAL_APPS
        for model in apps.get_app_config(label).get_models()
        if not model._meta.proxy and model._meta.managed
    ]


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every portal model (history tables included), as tuples of the concrete fields."""
    result = {}
    for model in portal_models():
        names = [f.attname for f in model._meta.concrete_fields]
        result[model._meta.label] = list(model._base_manager.order_by("pk").values_list(*names))
    return result


def _garbage_in(value) -> str | None:
    if isinstance(value, str):
        match = GARBAGE.search(value)
        return repr(value[max(0, match.start() - 20) : match.end() + 20]) if match else None
    if isinstance(value, dict):
        for key, item in value.items():
            found = _garbage_in(key) or _garbage_in(item)
            if found:
                return found
    if isinstance(value, list | tuple):
        for item in value:
            found = _garbage_in(item)
            if found:
                return found
    return None


def stored_garbage(snap: dict[str, list[tuple]]) -> list[str]:
    found = []
    for label, rows in snap.items():
        for row in rows:
            bad = _garbage_in(row)
            if bad:
                found.append(f"{label} pk={row[0]}: {bad}")
    return found


def snapshot_diff(before: dict, after: dict) -> list[str]:
    changed = []
    for label in before:
        if before[label] != after[label]:
            old, new = set(before[label]) if _hashable(before[label]) else None, None
            if old is not None and _hashable(after[label]):
                new = set(after[label])
                changed.append(f"{label}: -{len(old - new)} rows +{len(new - old)} rows")
            else:
                changed.append(f"{label}: {len(before[label])} -> {len(after[label])} rows, or changed")
    return changed


def _hashable(rows) -> bool:
    try:
        set(rows)
    except TypeError:
        return False
    return True


ERROR_MARKERS = ("invalid-feedback", "alert-danger", "errorlist", "is-invalid")


def shows_an_error(response) -> bool:
    """A refused form says why: a message by the field or at the top. Django's own bare 400 page (a body it
    could not parse) has no form to show."""
    body = response.content.decode("utf-8", "replace")
    return any(marker in body for marker in ERROR_MARKERS) or "<h1>Bad Request (400)</h1>" in body


def unescaped_payloads(response) -> list[str]:
    if "html" not in response.get("Content-Type", ""):
        return []
    body = response.content.decode("utf-8", "replace")
    return [p for p in HTML_PAYLOADS if p in body]


def _values(value) -> list:
    return value if isinstance(value, list) else [value]


def encode_multipart(body: dict) -> tuple[bytes, str]:
    """A multipart/form-data body, file names sent as given (quotes, NUL and newlines included)."""
    boundary = "----hostile-input-boundary-7MA4YWxkTrZu0gW"
    parts = []
    for key, value in body.items():
        for item in _values(value):
            if isinstance(item, Upload):
                head = (
                    f'Content-Disposition: form-data; name="{key}"; filename="{item.name}"\r\n'
                    f"Content-Type: {item.content_type}"
                )
                data = item.data
            else:
                head, data = f'Content-Disposition: form-data; name="{key}"', str(item).encode()
            parts.append(f"--{boundary}\r\n{head}\r\n\r\n".encode("utf-8", "surrogatepass") + data + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def _encode(body: dict, multipart: bool) -> tuple[bytes | str, str]:
    """Browsers post plain forms urlencoded and forms with a file as multipart; both parsers get hostile input."""
    if multipart:
        return encode_multipart(body)
    return urlencode([(k, str(i)) for k, v in body.items() for i in _values(v)]), "application/x-www-form-urlencoded"


_ip_numbers = itertools.count(1)


def client_for(world, who: str) -> Client:
    # A fresh address per example: the per-address rate limits (applications, logins) are tested elsewhere.
    n = next(_ip_numbers) + (os.getpid() % 200) * 65_536
    client = Client(REMOTE_ADDR=f"10.{(n >> 16) % 256}.{(n >> 8) % 256}.{n % 256}")
    if who != "anon":
        client.force_login(world.users[who])
    return client


def run_example(spec: FormSpec, world, url: str, body: dict, baseline: dict, expect: int | None = None) -> None:
    """Send one hostile request and check everything the issue asks for. Rolls back whatever it stored."""
    with transaction.atomic(), override_settings(**spec.settings):
        client = client_for(world, spec.user)
        if spec.method == "GET":
            response = client.get(f"{url}?{urlencode([(k, str(i)) for k, v in body.items() for i in _values(v)])}")
        else:
            # A browser always sends the form's CSRF token (the test client does not check it): so an "empty" form
            # is a bound form with every field missing, as in real life.
            body = {"csrfmiddlewaretoken": "x" * 64, **body}
            multipart = spec.multipart or any(isinstance(i, Upload) for v in body.values() for i in _values(v))
            data, content_type = _encode(body, multipart)
            response = client.post(url, data, content_type=content_type)
        status = response.status_code
        if expect is not None:
            assert status == expect, f"{spec.id}: the valid body answered {status}, not {expect}: {body}"
        if os.environ.get("HOSTILE_DEBUG"):
            print(f"\nHOSTILE|{spec.id}|{status}|{url}")
        assert status in ALLOWED_STATUS, f"{spec.id}: HTTP {status}"
        assert not unescaped_payloads(response), f"{spec.id}: unescaped {unescaped_payloads(response)} in {url}"
        after = snapshot()
        garbage = stored_garbage(after)
        assert not garbage, f"{spec.id}: control characters stored: {garbage[:5]}"
        if 400 <= status < 500:
            changed = snapshot_diff(baseline, after)
            assert not changed, f"{spec.id}: HTTP {status} but the database changed: {changed}"
        if status in (400, 422) and not shows_an_error(response):
            raise AssertionError(f"{spec.id}: HTTP {status} without a visible message: {body}")
        location = response.get("Location", "") if status in (302, 303) else ""
        pages = [location] if location and not urlsplit(location).netloc else []
        if spec.show and status < 400:
            pages += spec.show(world)
        for page in pages:
            # The page the user lands on, and those that show what was stored: they must render, escaped.
            shown = client.get(page)
            assert shown.status_code in ALLOWED_STATUS, f"{spec.id}: {page} answered {shown.status_code}"
            assert not unescaped_payloads(shown), f"{spec.id}: unescaped {unescaped_payloads(shown)} at {page}"
        transaction.set_rollback(True)


# A few sharp values per kind of field, each sent alone in an otherwise valid body (``sweep``).
SWEEP = {
    "text": ["A\x00b", "A\x01b\x7f " + SCRIPT, "Æ" * 100_001],
    "int": ["²", "9" * 400, "-1"],
    "date": ["0001-01-01", "9999-12-31", "2019-02-30"],
    "datetime": ["0001-01-01T00:00", "9999-12-31T23:59"],
    "time": ["24:00", "23:59:59.9999999"],
    "choice": ["\x00", "9" * 400],
    "multi": [["\x00"], ["9" * 400, "-1"]],
    "bool": ["\x00"],
    "email": ["a\x01@b.dk", "æøå@" + "x" * 300 + ".dk"],
}


def sweep_values(f: F) -> list:
    if f.kind == "file":
        return [
            Upload("../../bilag\x00.pdf", _file_data("pdf"), "application/pdf"),
            Upload('<script>alert(1)</script>"\r\nX: y.pdf', _file_data("exe"), "application/pdf"),
        ]
    return SWEEP[f.kind]


def sweep(spec: FormSpec, world) -> None:
    """Deterministic companion of ``fuzz``: the valid body (it must reach the end of the form), the empty body,
    then for every field each of its sharp values alone in the valid body."""
    url = url_or_skip(spec, world)[0]
    fields = resolve(spec.fields, world)
    valid = {name: v for name, f in fields.items() if (v := valid_value(f, world)) is not None}
    expect = spec.valid_status or (200 if spec.method == "GET" else 302)
    run_example(spec, world, url, valid, world.baseline, expect=expect)
    run_example(spec, world, url, {}, world.baseline)
    for name, f in fields.items():
        for value in sweep_values(f):
            run_example(spec, world, url, {**valid, name: value}, world.baseline)


def url_or_skip(spec: FormSpec, world) -> list[str]:
    try:
        urls = resolve(spec.url, world)
    except NoReverseMatch:
        import pytest

        pytest.skip(f"{spec.name} is not in the URLconf")
    return urls if isinstance(urls, list) else [urls]


def fuzz(spec: FormSpec, world, data) -> None:
    """The body of every fuzz test: ``data`` is hypothesis' st.data()."""
    urls = url_or_skip(spec, world)
    url = data.draw(st.sampled_from(urls), label="url")
    body = data.draw(request_body(spec, world), label="body")
    run_example(spec, world, url, body, world.baseline)


# --- The world: one of everything a form can act on -------------------------------------------------------------


class World:
    """Objects the forms act on, built once per module through the services where they exist."""

    users: dict[str, User]
    baseline: dict


def build_world() -> World:
    from committees.models import Committee, CommitteeMembership, CouncilMembership, Deliverable, Party, Person
    from committees.services import mandate_transition, mandate_update, task_committee_propose
    from gentofte_portal.documents.models import Document
    from meetings import services as meeting_services
    from meetings.models import Meeting
    from recruitment.models import Application
    from recruitment.services import allocation_confirm, application_shortlist, call_open, default_groups
    from recruitment.tokens import application_token
    from tests.factories import MunicipalityFactory, TermFactory

    w = World()
    today = timezone.localdate()
    municipality = MunicipalityFactory()
    w.term = TermFactory(
        municipality=municipality, starts_on=dt.date(today.year - 1, 1, 1), ends_on=dt.date(today.year + 3, 12, 31)
    )
    council = {}
    for letter, n in {"C": 13, "A": 2, "V": 1, "B": 1, "F": 1, "Ø": 1}.items():
        party, _created = Party.objects.get_or_create(
            municipality=municipality, letter=letter, defaults={"name": letter}
        )
        for i in range(n):
            person = Person.objects.create(name=f"Politiker {letter}{i + 1}")
            CouncilMembership.objects.create(term=w.term, person=person, party=party)
            council.setdefault(letter, []).append(person)
    w.council = council

    staff = User.objects.create_user("fuzz-signe", password="pw-12345-abc", first_name="Signe", last_name="Holm")
    staff.groups.add(Group.objects.get(name="Sekretariat"))
    politician = User.objects.create_user("fuzz-ida", password="pw-12345-abc", first_name="Ida", last_name="Krag")
    w.users = {"staff": staff, "politician": politician}
    w.password = "pw-12345-abc"

    w.standing = Committee.objects.create(
        kind=Committee.Kind.STANDING, term=w.term, name="Kultur-, Unge- og Fritidsudvalget", slug="fuzz-kuf", seats=7
    )
    w.standing2 = Committee.objects.create(
        kind=Committee.Kind.STANDING, term=w.term, name="Børne- og Skoleudvalget", slug="fuzz-bsu", seats=7
    )
    ida = council["C"][0]
    ida.user = politician
    ida.save()
    CommitteeMembership.objects.create(
        committee=w.standing, person=ida, member_kind="politiker", role="formand", party=Party.objects.get(letter="C")
    )

    def propose(name):
        return task_committee_propose(name=name, proposed_by=[w.standing], purpose=f"Formålet med {name}.", by=staff)

    # Mandates in every status a form acts on.
    w.draft = propose("Opgaveudvalg for Kladder")
    w.draft = mandate_update(
        mandate=w.draft, data={"background": "Første udkast."}, expected_version=w.draft.lock_version, by=staff
    )
    w.discussed = propose("Opgaveudvalg for Drøftelse")
    w.discussed = mandate_transition(mandate=w.discussed, name="send_til_droeftelse", by=staff)
    w.recommended = propose("Opgaveudvalg for Indstilling")
    w.recommended = mandate_transition(mandate=w.recommended, name="send_til_droeftelse", by=staff)
    w.recommended = mandate_transition(mandate=w.recommended, name="indstil", by=staff)
    published = propose("Opgaveudvalg for Ungepolitik")
    published = mandate_update(
        mandate=published,
        data={
            "competences": ["Går i skole", "Er i job", "Er aktiv i foreningslivet"],
            "age_min": 15,
            "age_max": 80,
            # Five seats, all C's by D'Hondt: two politicians and three citizens, so the appointment can succeed.
            "politician_count": 2,
            "citizen_count": 3,
            "deliverables": [{"title": "Anbefalinger", "description": "", "due_on": ""}],
        },
        expected_version=published.lock_version,
        by=staff,
    )
    for name in ("send_til_droeftelse", "indstil"):
        published = mandate_transition(mandate=published, name=name, by=staff)
    published = mandate_transition(
        mandate=published, name="godkend", by=staff, approved_on=today, approval_reference="KB 01.03, punkt 5"
    )
    w.published = mandate_transition(mandate=published, name="offentliggoer", by=staff)
    w.task = Committee.objects.get(pk=w.published.committee_id)

    # Recruitment: an open call with applications, three shortlisted, and a confirmed allocation.
    w.call = call_open(
        committee=w.task,
        title="Bliv medlem af Opgaveudvalg for Ungepolitik",
        text="Vi søger borgere.",
        deadline=timezone.now() + dt.timedelta(days=30),
        by=staff,
    )
    apps_ = []
    for i, name in enumerate(["Alma Ravn", "Bo Hansen", "Carla Jensen", "Dan Olsen", "Eva Berg"]):
        apps_.append(
            Application.objects.create(
                call=w.call,
                name=name,
                email=f"ansoeger{i}@example.org",
                postcode="2900",
                district="hellerup",
                birth_year=today.year - 30,
                gender="kvinde",
                competences=["Er i job"],
                motivation="Jeg vil gerne være med.",
                consent_at=timezone.now(),
            )
        )
    for application in apps_[:3]:
        application_shortlist(application=application, reason="God profil.", by=staff)
    w.applications = apps_
    w.received = apps_[4]
    w.token = application_token(w.received)
    w.allocation = allocation_confirm(
        committee=w.task, groups=default_groups(committee=w.task), transfers=[], by=staff, early_ok=True
    )
    # Fair selection: a target and the panel drawn from the three shortlisted (the committee has three citizen seats).
    from recruitment import selectors as recruitment_selectors
    from recruitment.models import SelectionTarget
    from recruitment.services import selection_draw
    from recruitment.services.selection import selection_inputs

    SelectionTarget.objects.create(call=w.call, feature="koen", category="kvinde", minimum=0, maximum=3)
    pool, _shortlist = recruitment_selectors.selection_pool(call=w.call)
    w.selection_draw = selection_draw(
        call=w.call,
        inputs=selection_inputs(call=w.call, pool=pool, targets=recruitment_selectors.selection_targets(call=w.call)),
        by=staff,
    )
    chair, vice_chair = council["C"][2:4]
    w.appoint_valid = {f"politiker-{chair.pk}": "formand", f"politiker-{vice_chair.pk}": "naestformand"}
    w.appoint_valid.update({f"borger-{a.pk}": "C" for a in apps_[:3]})

    # A second task committee, established, with members for vacancies and meetings.
    w.established = Committee.objects.create(
        kind=Committee.Kind.TASK,
        term=w.term,
        name="Opgaveudvalg om Innovation",
        slug="fuzz-innovation",
        seats=4,
        politician_seats=2,
        citizen_seats=2,
        status=Committee.Status.ESTABLISHED,
        starts_on=dt.date(today.year - 1, 1, 1),
        ends_on=dt.date(today.year + 2, 12, 31),
    )
    party_c = Party.objects.get(letter="C")
    w.member_politician = CommitteeMembership.objects.create(
        committee=w.established, person=council["C"][1], member_kind="politiker", role="formand", party=party_c,
        seat_group="C", starts_on=dt.date(today.year - 1, 1, 1),
    )  # fmt: skip
    w.member_citizen = CommitteeMembership.objects.create(
        committee=w.established, person=Person.objects.create(name="Carl Dam"), member_kind="borger",
        party=party_c, seat_group="C", starts_on=dt.date(today.year - 1, 1, 1),
    )  # fmt: skip
    w.deliverable = Deliverable.objects.create(committee=w.established, number=1, title="Anbefalinger")

    # Meetings: one being planned (agenda with items and a bilag), one with published minutes.
    when = timezone.make_aware(dt.datetime(today.year, today.month, 1, 17, 0)) + dt.timedelta(days=3)
    w.meeting = meeting_services.meeting_create(
        committee=w.established, starts_at=when, location="Udvalgsværelse G", kind="ordinaert", by=staff
    )
    w.items = [
        meeting_services.agenda_item_add(meeting=w.meeting, data={"title": t, "is_closed": closed}, by=staff)
        for t, closed in [("Velkomst", False), ("Budget", False), ("Personsag", True)]
    ]
    w.attachment = meeting_services.attachment_add(
        item=w.items[0],
        upload=SimpleUploadedFile("bilag.pdf", minimal_pdf_bytes(), content_type="application/pdf"),
        title="Bilag",
        by=staff,
    )
    w.done = meeting_services.meeting_create(
        committee=w.established, starts_at=when - dt.timedelta(days=40), location="Rådhuset", kind="ordinaert", by=staff
    )
    w.done_items = [meeting_services.agenda_item_add(meeting=w.done, data={"title": "Status"}, by=staff)]
    meeting_services.agenda_publish(meeting=w.done, by=staff)
    attendance = {m.person_id: ("tilstede", False) for m in meeting_services.members_on(w.done)}  # every member present
    minutes = meeting_services.minutes_save(
        meeting=w.done, attendance=attendance, decisions={}, remarks="", ended_at=None, by=staff
    )
    meeting_services.minutes_approve(minutes=minutes, by=staff)
    meeting_services.minutes_publish(minutes=minutes, by=staff)
    w.failed_document = Document.objects.update_or_create(
        kind="dagsorden",
        object_id=w.done.pk,
        variant="offentlig",
        defaults={"status": Document.Status.FAILED, "error": "WeasyPrint fejlede"},
    )[0]
    w.meeting = Meeting.objects.get(pk=w.meeting.pk)
    return w


def world_fixture():
    """A module-scoped ``world`` fixture: the world is built once inside a transaction that is rolled back after the
    module; every example runs in a nested transaction rolled back after it."""
    import pytest

    @pytest.fixture(scope="module")
    def world(django_db_setup, django_db_blocker):
        with django_db_blocker.unblock():
            with transaction.atomic():
                w = build_world()
                w.baseline = snapshot()
                yield w
                transaction.set_rollback(True)

    return world


def url(name: str, *args) -> str:
    return reverse(name, args=args)


def form_tests(forms: list[FormSpec]):
    """The two tests of a table of forms: hypothesis examples, and a sweep of sharp values one field at a time.
    A test module binds them to module-level names; pytest then collects them there, with that module's `world`."""

    @pytest.mark.parametrize("spec", forms, ids=lambda s: s.id)
    @FUZZ_SETTINGS
    @given(data=st.data())
    def test_hostile_input_is_refused_cleanly(world, spec, data):
        fuzz(spec, world, data)

    @pytest.mark.parametrize("spec", forms, ids=lambda s: s.id)
    def test_each_field_alone_refuses_sharp_values_cleanly(world, spec):
        sweep(spec, world)

    return test_hostile_input_is_refused_cleanly, test_each_field_alone_refuses_sharp_values_cleanly
