"""Benchmark: the public pages and the application form under concurrent load, on PostgreSQL and gunicorn.

    .venv/bin/python bench/http.py [--scale 1] [--duration 10] [--database-url postgres://…/portal_bench]

1. Creates the benchmark database if it is missing (default postgres://postgres@127.0.0.1:5432/portal_bench),
   migrates it, collects static files and runs ``manage.py generate_load_data --scale N`` unless load data of
   that scale is already there (``--recreate`` drops and recreates the database first).
2. Starts gunicorn with 2 sync workers on 127.0.0.1 with bench/settings.py: the production settings (DEBUG off,
   CONN_MAX_AGE=60 as in docker-compose.yml) plus /bench/floor/, a view with the whole middleware stack and one
   query, the framework's floor on this machine. Sync workers because production runs them (docker-compose.yml
   and the Dockerfile run gunicorn with its default, sync, worker class).
3. Drives each page with wrk (Debian package ``wrk``; one thread, ``--connections`` connections) for
   ``--duration`` seconds, as the TLS proxy would (X-Forwarded-Proto: https, X-Forwarded-For), and prints
   requests/s, p50, p95, errors (socket errors and statuses >= 400) and p95 as a multiple of the floor's p95.
4. Sends 500 applications at once (each GETs the form for its CSRF cookie and token, then POSTs with its own
   X-Forwarded-For address, as 500 citizens behind the municipality's proxy) and checks in the database that
   exactly 500 arrived: none lost, none twice.

``--only TEXT`` drives only the pages whose label or path contains TEXT (and the floor), and skips step 4: e.g.
``--only /soeg/`` for the search alone.

Roles: besides the anonymous visitor, the pages are driven as three users logged in through the real login form
(``--roles``, default all): a citizen or politician member of the benchmarked meeting's committee ("medlem"), a
council member outside it ("politiker") and a secretariat user ("sekretariat", who also gives the one-time code of
a TOTP device the benchmark makes for them). Their pages are never served from the page cache, so they show what
rendering costs; ``--no-page-cache`` shows the same for anonymous visitors (a first visit, a new search).

Goals (exit status 1 if one is missed, and it says which): every page, for every role, within 3× the floor at
p95, no errors, and the 500 submissions all stored exactly once. Mail goes to Django's in-memory backend; with no
REDIS_URL the receipt task runs in the request, as it would without a worker.
"""

import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
# This file is called http.py: take its folder off the path, or it would shadow the standard library's http.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != BENCH]
sys.path.insert(0, str(ROOT))

import argparse  # noqa: E402
import http.client  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import re  # noqa: E402
import secrets  # noqa: E402
import shutil  # noqa: E402
import socket  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
import urllib.parse  # noqa: E402
from concurrent.futures import ThreadPoolExecutor  # noqa: E402

VAR = ROOT / "var" / "bench"
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/portal_bench"
DEFAULT_CACHE = "redis://127.0.0.1:6379/9"
PROXY_HEADERS = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.10"}
WORKERS = 2
SEARCH = "Kildeskovshallen"
GOAL_RATIO = 3.0
# anonym: no session (served from the page cache unless --no-page-cache); the others log in (see the docstring).
ROLES = ("anonym", "medlem", "politiker", "sekretariat")
BENCH_PASSWORD = "bench-" + secrets.token_urlsafe(12)

WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "p50_us": %.0f, "p95_us": %.0f, "p99_us": %.0f, "max_us": %.0f, '
    .. '"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max, e.connect, e.read, e.write, e.status, e.timeout))
end
"""


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="load data scale (1: 100,000 agenda items)")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds of load per page (default 10)")
    parser.add_argument("--database-url", default=DEFAULT_DB, help=f"PostgreSQL database (default {DEFAULT_DB})")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections per page (default 8)")
    parser.add_argument("--submissions", type=int, default=500, help="concurrent applications (default 500)")
    parser.add_argument(
        "--cache-url",
        default=DEFAULT_CACHE,
        help=f"Redis database for the shared cache, emptied first (default {DEFAULT_CACHE}; '' for a cache per process)",
    )
    parser.add_argument(
        "--no-page-cache",
        action="store_true",
        help="switch the anonymous page cache off (PORTAL_PUBLIC_CACHE_SECONDS=0): the cost of rendering every page",
    )
    parser.add_argument(
        "--roles",
        default=",".join(ROLES),
        help=f"the roles to drive the pages as, comma-separated (default all: {','.join(ROLES)})",
    )
    parser.add_argument("--recreate", action="store_true", help="drop and recreate the benchmark database first")
    parser.add_argument(
        "--only",
        default="",
        help="drive only the pages whose label or path contains this text (and the floor), without the submissions",
    )
    return parser.parse_args()


# --- Database and server --------------------------------------------------------------------------------------


def ensure_database(url: str, recreate: bool) -> None:
    import psycopg2
    from psycopg2 import sql

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    if parts.scheme not in ("postgres", "postgresql", "pgsql") or not name:
        raise SystemExit(f"--database-url must be a PostgreSQL URL with a database name, not {url!r}")
    conn = psycopg2.connect(
        dbname="postgres",
        user=urllib.parse.unquote(parts.username or "postgres"),
        password=urllib.parse.unquote(parts.password) if parts.password else None,
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
    )
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        exists = cur.fetchone() is not None
        if exists and recreate:
            print(f"Dropping database {name} (--recreate)")
            cur.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
            exists = False
        if not exists:
            print(f"Creating database {name}")
            cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    conn.close()


def bench_environment(database_url: str, cache_url: str) -> dict:
    VAR.mkdir(parents=True, exist_ok=True)
    return {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CONN_MAX_AGE": "60",
        "TRUSTED_PROXY_COUNT": "1",
        "REDIS_URL": "",  # set and empty, so a .env file cannot bring Redis in: tasks run eagerly
        "BENCH_CACHE_URL": cache_url,  # the page cache and rate limits shared by the workers, as in production
        "STATIC_ROOT": str(VAR / "static"),
        "MEDIA_ROOT": str(VAR / "media"),
        "PRIVATE_MEDIA_ROOT": str(VAR / "private"),
        "PORTAL_BASE_URL": "https://127.0.0.1",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }


def prepare(scale: float) -> None:
    from django.core.management import call_command

    from gentofte_portal.devdata import loadgen

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    wanted = loadgen.figures(scale)
    if loadgen.has_load_data():
        present = loadgen.generated_counts()
        # Earlier runs' submissions add applications; the other figures say which scale is there.
        if present["applications"] >= wanted["applications"]:
            present["applications"] = wanted["applications"]
        if present != wanted:
            raise SystemExit(
                f"The database holds load data of another scale ({present}; scale {scale:g} is {wanted}). "
                "Run again with --recreate, or give another --database-url."
            )
        print(f"Load data of scale {scale:g} is already there: {present}")
        from django.db import connection

        with connection.cursor() as cursor:  # made before the public search index existed: build it once
            cursor.execute("SELECT EXISTS (SELECT 1 FROM pages_searchentry)")
            if not cursor.fetchone()[0]:
                call_command("rebuild_search_index")
        return
    call_command("generate_load_data", scale=scale)


def targets():
    """The pages to drive: a committee page with the most meetings, the published meeting with the most items,
    and the application form of an open call (preferably without an age range)."""
    import datetime as dt

    from django.db.models import Count
    from django.utils import timezone

    from committees.models import Committee
    from meetings.models import Meeting
    from recruitment.models import Call

    committee = Committee.objects.annotate(n=Count("meetings")).order_by("-n", "pk").first()
    meeting = (
        Meeting.objects.filter(agenda_published_at__isnull=False, minutes__status="offentliggjort")
        .annotate(n=Count("items"))
        .order_by("-n", "pk")
        .first()
    )
    now = timezone.now()
    calls = Call.objects.filter(published_at__lte=now, deadline__gt=now + dt.timedelta(hours=1)).order_by("pk")
    call = min(calls, key=lambda c: (c.age_min is not None or c.age_max is not None, c.pk), default=None)
    if not (committee and meeting and call):
        raise SystemExit("No committee, published meeting or open call to benchmark: run with --recreate.")
    pages = [
        ("floor (one query)", "/bench/floor/"),
        ("/", "/"),
        ("/udvalg/", "/udvalg/"),
        (f"committee ({committee.n} meetings)", f"/udvalg/{committee.slug}/"),
        ("/moeder/", "/moeder/"),
        (f"meeting ({meeting.n} items)", f"/moeder/{meeting.pk}/"),
        ("/opslag/", "/opslag/"),
        ("application form", f"/opslag/{call.pk}/ansoeg/"),
        (f"/soeg/?q={SEARCH}", f"/soeg/?q={SEARCH}"),
        # For scale: a page that is little more than the base template.
        ("/tilgaengelighed/ (base template)", "/tilgaengelighed/"),
        ("/sitemap.xml (index)", "/sitemap.xml"),
        ("/sitemap-moeder.xml (1,000 meetings)", "/sitemap-moeder.xml"),
        ("Atom feed", "/feeds/dagsordener-og-referater.atom"),
        *oparl_pages(),
    ]
    return pages, call, meeting


def role_pages(meeting, search_path: str) -> dict[str, list[tuple[str, str]]]:
    """What each logged-in role reads most: the member and the politician outside the committee the same public
    pages (the member sees the closed items in full), the secretariat their workspace too."""
    own = f"/udvalg/{meeting.committee.slug}/"
    shared = [
        ("/", "/"),
        ("/udvalg/", "/udvalg/"),
        ("the meeting's committee", own),
        ("/moeder/", "/moeder/"),
        (f"meeting ({meeting.n} items)", f"/moeder/{meeting.pk}/"),
        (search_path, search_path),
    ]
    return {
        "medlem": [*shared, ("/mine/", "/mine/")],
        "politiker": [*shared, ("/mine/", "/mine/")],
        "sekretariat": [
            *shared,
            ("/arbejde/ (workspace)", "/arbejde/"),
            ("/arbejde/moeder/", "/arbejde/moeder/"),
            ("agenda builder", f"/arbejde/moeder/{meeting.pk}/"),
        ],
    }


def role_users(meeting) -> dict[str, dict]:
    """A user per logged-in role, made (or reset) on the load data: the member and the politician are real persons
    of the load data, linked to a login; the secretariat user gets a fresh TOTP device, whose key the benchmark
    keeps to give the one-time code at login."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from committees.models import CommitteeMembership, CouncilMembership, Person
    from gentofte_portal.common.roles import SECRETARIAT_GROUP

    User = get_user_model()
    inside = CommitteeMembership.objects.filter(committee=meeting.committee).order_by("pk").first()
    members_ids = CommitteeMembership.objects.filter(committee=meeting.committee).values("person_id")
    outside = (
        CouncilMembership.objects.filter(term=meeting.committee.term)
        .exclude(person_id__in=members_ids)
        .order_by("pk")
        .first()
    )
    if inside is None or outside is None:
        raise SystemExit("The benchmarked meeting's committee has no members, or its term no other council member.")

    def user_for(username: str, person: Person | None = None, **fields):
        user = person.user if person is not None and person.user_id else None
        if user is None:
            user, _ = User.objects.get_or_create(username=username, defaults=fields)
        user.set_password(BENCH_PASSWORD)
        user.is_active = True
        user.save()
        if person is not None and person.user_id != user.pk:
            person.user = user
            person.save(update_fields=["user"])
        return user

    users = {
        "medlem": {"user": user_for("bench-medlem", inside.person)},
        "politiker": {"user": user_for("bench-politiker", outside.person)},
    }
    staff = user_for("bench-sekretariat", first_name="Bench", last_name="Sekretariat", is_staff=True)
    staff.groups.add(Group.objects.get_or_create(name=SECRETARIAT_GROUP)[0])
    TOTPDevice.objects.filter(user=staff).delete()
    users["sekretariat"] = {
        "user": staff,
        "device": TOTPDevice.objects.create(user=staff, name="bench", confirmed=True),
    }
    return users


class _Session:
    """Cookies and the CSRF token of one browser session against the benchmark server."""

    def __init__(self, port: int):
        self.port, self.cookies = port, {}
        self.origin = f"https://127.0.0.1:{port}"

    def request(self, method: str, path: str, fields=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {**PROXY_HEADERS, "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if fields is not None:
            body = urllib.parse.urlencode(fields)
            headers.update(
                {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Origin": self.origin,
                    "Referer": self.origin + path,
                }
            )
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode()
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    self.cookies[key] = rest.split(";", 1)[0]
            return response.status, response.getheader("Location", ""), text
        finally:
            conn.close()

    def post_form(self, path: str, fields: dict):
        status, _location, page = self.request("GET", path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or not token:
            raise SystemExit(f"GET {path}: {status}, no form; see {VAR / 'gunicorn.log'}")
        return self.request("POST", path, {"csrfmiddlewaretoken": token.group(1), **fields})


def log_in(port: int, role: str, account: dict) -> str:
    """Logs ``account`` in through /log-ind/ (and /log-ind/kode/ for the secretariat); returns the Cookie header."""
    from django_otp.oath import totp

    session = _Session(port)
    status, location, _ = session.post_form(
        "/log-ind/", {"username": account["user"].get_username(), "password": BENCH_PASSWORD}
    )
    if status != 302:
        raise SystemExit(f"{role}: the login form answered {status}, not a redirect")
    if account.get("device") is not None:  # staff: the one-time code (the start page would send them there)
        device = account["device"]
        code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"
        status, location, _ = session.post_form("/log-ind/kode/", {"token": code})
        if status != 302 or "/log-ind/" in location:
            raise SystemExit(f"{role}: the one-time code was refused ({status} {location})")
    status, location, _ = session.request("GET", "/arbejde/" if role == "sekretariat" else "/mine/")
    if status != 200:
        raise SystemExit(f"{role}: logged in, but its start page answered {status} {location}")
    return "; ".join(f"{k}={v}" for k, v in session.cookies.items())


def oparl_pages() -> list[tuple[str, str]]:
    """The open-data API's list pages a crawler reads: first pages, and a page deep in the longest list (keyset
    paging, so page 500 costs what page 1 does)."""
    from django.db.models import Count

    from committees.models import Municipality
    from meetings.models import AgendaItem

    body = Municipality.objects.annotate(n=Count("terms")).order_by("-n", "pk").first()
    items = AgendaItem.objects.filter(meeting__agenda_published_at__isnull=False).order_by("pk")
    middle = items.values_list("pk", flat=True)[items.count() // 2] if items.exists() else 0
    lists = f"/oparl/v1.1/body/{body.pk}"
    return [
        ("OParl System", "/oparl/v1.1/"),
        ("OParl meetings (25, with items)", f"{lists}/meeting/"),
        ("OParl agenda items, mid-list", f"{lists}/agendaItem/?after=0:{middle}"),
        ("OParl files", f"{lists}/file/"),
        ("OParl persons", f"{lists}/person/"),
        ("OParl memberships", f"{lists}/membership/"),
        ("OParl organizations", f"{lists}/organization/"),
    ]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port: int, path: str, headers=None, timeout=30):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers={**PROXY_HEADERS, **(headers or {})})
        response = conn.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        conn.close()


def start_server(port: int, env: dict) -> subprocess.Popen:
    log = open(VAR / "gunicorn.log", "w")  # noqa: SIM115 - closed with the process
    cmd = [
        sys.executable,
        "-m",
        "gunicorn",
        "gentofte_portal.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(WORKERS),
        "--worker-class",
        "sync",
        "--backlog",
        "2048",
        "--timeout",
        "120",
        "--chdir",
        str(ROOT),
    ]
    proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT)
    proc.log = log
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn exited with {proc.returncode}; see {VAR / 'gunicorn.log'}")
        try:
            if get(port, "/bench/floor/", timeout=5)[0] == 200:
                return proc
        except OSError:
            pass
        time.sleep(0.3)
    stop_server(proc)
    raise SystemExit(f"gunicorn did not answer within 60 s; see {VAR / 'gunicorn.log'}")


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    proc.log.close()


# --- Page load with wrk ---------------------------------------------------------------------------------------


def wrk(port: int, path: str, duration: float, connections: int, cookie: str = "") -> dict:
    script = VAR / "report.lua"
    script.write_text(WRK_SCRIPT)
    cmd = ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(duration))}s", "--timeout", "30s", "-s", str(script)]
    for name, value in {**PROXY_HEADERS, **({"Cookie": cookie} if cookie else {})}.items():
        cmd += ["-H", f"{name}: {value}"]
    out = subprocess.run(cmd + [f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True)
    line = next(line for line in out.stdout.splitlines() if line.startswith("BENCH "))
    data = json.loads(line[6:])
    data["errors"] = sum(data[k] for k in ("connect", "read", "write", "status", "timeout"))
    data["rps"] = data["requests"] / (data["duration_us"] / 1e6)
    return data


def run_pages(port: int, pages, duration: float, connections: int, cookies: dict[str, str]) -> dict:
    """``pages``: (label, path, role); ``cookies``: each logged-in role's Cookie header. Results by (label, role)."""
    results = {}
    for label, path, role in pages:
        cookie = cookies.get(role, "")
        status, _headers, _body = get(port, path, headers={"Cookie": cookie} if cookie else None)
        if status != 200:
            raise SystemExit(f"{path} answered {status} for {role}, not 200; see {VAR / 'gunicorn.log'}")
        wrk(port, path, 1, connections, cookie)  # warm up both workers
        results[label, role] = r = wrk(port, path, duration, connections, cookie)
        print(f"  {label:36} {role:11} {r['rps']:8.1f} req/s  p95 {r['p95_us'] / 1000:7.1f} ms", flush=True)
    # The floor again at the end: the machine may have been busier at the start than at the end.
    results["floor (again)", "anonym"] = wrk(port, pages[0][1], duration, connections)
    return results


# --- 500 applications at once ---------------------------------------------------------------------------------


def submit_applications(port: int, call, n: int) -> dict:
    """n citizens, each with its own address: GET the form (CSRF cookie and token), wait until all have it,
    then all POST at once."""
    from django.utils import timezone

    run = time.strftime("%Y%m%d%H%M%S") + secrets.token_hex(2)
    path = f"/opslag/{call.pk}/ansoeg/"
    origin = f"https://127.0.0.1:{port}"
    year = timezone.localtime(call.deadline).year
    age = min(max(40, call.age_min or 0), call.age_max or 200)
    competences = list(call.competences[:1])
    barrier = threading.Barrier(n)
    results = [None] * n

    def one(i: int):
        headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": f"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}"}
        email = f"bench-{run}-{i}@eksempel.dk"
        result = {"email": email, "status": None, "error": None, "seconds": None}
        results[i] = result
        token = cookie = None
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        try:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            body = response.read().decode()
            for name, value in response.getheaders():
                if name.lower() == "set-cookie" and value.startswith("csrftoken="):
                    cookie = value.split(";", 1)[0]
            found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
            token = found.group(1) if found else None
            if response.status != 200 or not (token and cookie):
                result["error"] = f"GET {response.status}, token={bool(token)}, cookie={bool(cookie)}"
        except OSError as exc:
            result["error"] = f"GET: {exc!r}"
        try:
            barrier.wait(timeout=600)
        except threading.BrokenBarrierError:
            pass
        if result["error"]:
            conn.close()
            return
        fields = [
            ("csrfmiddlewaretoken", token),
            ("name", f"Borger {i} Belastningstest"),
            ("email", email),
            ("phone", ""),
            ("postcode", "2820"),
            ("district", "gentofte"),
            ("birth_year", str(year - age)),
            ("gender", "ikke_oplyst"),
            *[("competences", c) for c in competences],
            ("motivation", "Jeg vil gerne være med til at udvikle løsninger sammen med politikerne."),
            ("consent", "on"),
            ("website", ""),  # the honeypot stays empty
        ]
        post_headers = {
            **headers,
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookie,
            "Origin": origin,
            "Referer": origin + path,
        }
        started = time.perf_counter()
        try:
            conn.request("POST", path, body=urllib.parse.urlencode(fields), headers=post_headers)
            response = conn.getresponse()
            response.read()
            result["status"] = response.status
            result["location"] = response.getheader("Location", "")
        except OSError as exc:
            result["error"] = f"POST: {exc!r}"
        finally:
            result["seconds"] = time.perf_counter() - started
            conn.close()

    threading.stack_size(512 * 1024)
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=n) as pool:
        list(pool.map(one, range(n)))
    wall = time.perf_counter() - started
    return {"run": run, "results": results, "wall": wall}


def check_applications(call, outcome: dict, before: int, n: int) -> dict:
    from django.db.models import Count

    from recruitment.models import Application

    results = outcome["results"]
    accepted = [r for r in results if r["status"] == 302 and "/kvittering/" in (r.get("location") or "")]
    failed = [r for r in results if r not in accepted]
    stored = Application.objects.filter(call=call, email__startswith=f"bench-{outcome['run']}-")
    emails = list(stored.values_list("email", flat=True))
    duplicates = Application.objects.filter(call=call).values("email").annotate(n=Count("id")).filter(n__gt=1).count()
    lost = {r["email"] for r in accepted} - set(emails)
    total_new = Application.objects.filter(call=call).count() - before
    post_times = sorted(r["seconds"] for r in results if r["seconds"] is not None)
    return {
        "sent": n,
        "accepted": len(accepted),
        "failed": failed,
        "stored": len(emails),
        "new_rows": total_new,
        "duplicates": duplicates + (len(emails) - len(set(emails))),
        "lost": len(lost),
        "wall": outcome["wall"],
        "post_p50": statistics.median(post_times) if post_times else None,
        "post_p95": post_times[int(0.95 * (len(post_times) - 1))] if post_times else None,
    }


# --- Report ---------------------------------------------------------------------------------------------------


def machine_facts(args) -> list[str]:
    from django import get_version
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SHOW server_version")
        pg = cur.fetchone()[0]
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split("\n")[0].split(" [")[0]
    load = os.getloadavg()
    return [
        f"machine: {os.cpu_count()} cores, {platform.machine()}, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}",
        f"software: Python {platform.python_version()}, Django {get_version()}, PostgreSQL {pg}, {wrk_version}",
        f"server: gunicorn, {WORKERS} sync workers, settings bench.settings (production + /bench/floor/), "
        "CONN_MAX_AGE=60, tasks eager, "
        + (f"cache in Redis ({args.cache_url})" if args.cache_url else "cache per process")
        + (", page cache OFF" if args.no_page_cache else ", page cache on"),
        f"load: scale {args.scale:g}, {args.duration:g} s per page, wrk 1 thread, {args.connections} connections",
    ]


def main() -> int:
    args = parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    ensure_database(args.database_url, args.recreate)
    env = bench_environment(args.database_url, args.cache_url)
    if args.no_page_cache:
        env["PORTAL_PUBLIC_CACHE_SECONDS"] = "0"
    if args.cache_url:
        import redis

        redis.Redis.from_url(args.cache_url).flushdb()
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connections

    prepare(args.scale)
    public, call, meeting = targets()
    roles = [role.strip() for role in args.roles.split(",") if role.strip()]
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise SystemExit(f"--roles: unknown {', '.join(sorted(unknown))} (known: {', '.join(ROLES)})")
    pages = [(*public[0], "anonym")]
    if "anonym" in roles:
        pages += [(label, path, "anonym") for label, path in public[1:]]
    by_role = role_pages(meeting, f"/soeg/?q={SEARCH}")
    pages += [(label, path, role) for role in roles if role != "anonym" for label, path in by_role[role]]
    if args.only:
        pages = [pages[0]] + [p for p in pages[1:] if args.only in p[0] or args.only in p[1]]
    driven = {role for _label, _path, role in pages[1:]}
    accounts = (
        {role: account for role, account in role_users(meeting).items() if role in driven}
        if driven - {"anonym"}
        else {}
    )
    facts = machine_facts(args)
    connections.close_all()

    port = free_port()
    print(f"Starting gunicorn on 127.0.0.1:{port} ({WORKERS} sync workers)")
    server = start_server(port, env)
    try:
        cookies = {role: log_in(port, role, account) for role, account in accounts.items()}
        print("Pages:")
        results = run_pages(port, pages, args.duration, args.connections, cookies)
        from recruitment.models import Application

        submissions = None
        if not args.only:
            before = Application.objects.filter(call=call).count()
            print(f"Submitting {args.submissions} applications at once to {call} …", flush=True)
            outcome = submit_applications(port, call, args.submissions)
            submissions = check_applications(call, outcome, before, args.submissions)
    finally:
        stop_server(server)
    facts[0] += f" (at the end: {os.getloadavg()[0]:.2f})"

    # The lower of the two floor measurements: noise from other processes only ever adds latency.
    floor = results[pages[0][0], "anonym"]
    floor_p95 = max(1, min(floor["p95_us"], results["floor (again)", "anonym"]["p95_us"]))
    print()
    for line in facts:
        print(line)
    print()
    print(f"{'page':36} {'role':11} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7} {'p95/floor':>10}")
    misses = []
    for label, _path, role in pages:
        r = results[label, role]
        ratio = r["p95_us"] / floor_p95
        print(
            f"{label:36} {role:11} {r['rps']:8.1f} {r['p50_us'] / 1000:8.1f} {r['p95_us'] / 1000:8.1f} "
            f"{r['errors']:7d} {ratio:9.2f}×"
        )
        if r["errors"]:
            misses.append(f"{label} ({role}): {r['errors']} errors")
        if not r["requests"]:
            misses.append(f"{label} ({role}): no request completed in {args.duration:g} s")
        elif not label.startswith("floor") and ratio > GOAL_RATIO:
            misses.append(f"{label} ({role}): p95 {ratio:.2f}× the floor (goal ≤ {GOAL_RATIO:g}×)")
    r = results["floor (again)", "anonym"]
    print(
        f"{'floor (again, at the end)':36} {'anonym':11} {r['rps']:8.1f} {r['p50_us'] / 1000:8.1f} "
        f"{r['p95_us'] / 1000:8.1f} {r['errors']:7d}  (floor p95 used: the lower, {floor_p95 / 1000:.1f} ms)"
    )
    if r["errors"]:
        misses.append(f"floor (again): {r['errors']} errors")

    s = submissions
    print()
    if s is None:  # --only: pages alone
        if misses:
            print("GOALS MISSED:")
            for miss in misses:
                print(f"  - {miss}")
        return 1 if misses else 0
    print(
        f"{s['sent']} concurrent applications in {s['wall']:.1f} s (POST p50 {s['post_p50']:.2f} s, "
        f"p95 {s['post_p95']:.2f} s): {s['accepted']} accepted (302 to the receipt), {s['stored']} stored, "
        f"{s['new_rows']} new rows for the call, {s['lost']} lost, {s['duplicates']} duplicated"
    )
    for failure in s["failed"][:5]:
        print(f"  failed: {failure}")
    if not (s["accepted"] == s["stored"] == s["new_rows"] == s["sent"]) or s["lost"] or s["duplicates"]:
        misses.append(
            f"submissions: {s['accepted']}/{s['sent']} accepted, {s['new_rows']} new rows, {s['lost']} lost, "
            f"{s['duplicates']} duplicated"
        )
    print()
    if misses:
        print("GOALS MISSED:")
        for miss in misses:
            print(f"  - {miss}")
        return 1
    print(
        f"All goals met: every page and role within {GOAL_RATIO:g}× the floor at p95, no errors, "
        f"{s['sent']} submissions stored exactly once."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
