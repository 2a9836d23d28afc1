"""Processes for the fault-injection tests: a private redis-server, a private PostgreSQL cluster, and the portal as
an operator runs it (gunicorn, a Celery worker, beat), each a subprocess a test may stop, kill or restart.

Private servers on free loopback ports, so a test can break Redis or PostgreSQL without touching the shared ones on
6379/5432. Every child runs in its own process group (a kill takes its children too) and every wait has a deadline.
"""

import email
import email.policy
import http.client
import http.cookies
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from dataclasses import dataclass
from pathlib import Path

import psycopg2
import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

ROOT = Path(__file__).resolve().parents[2]
LOGS = ROOT / "var" / "faults"
# A long random-looking string: production settings refuse to start without one.
SECRET_KEY = "faults-only-" + "k3y" * 20


def free_port() -> int:
    """A port nobody listens on now (the OS picks it); the server binds it a moment later."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_open(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
    except OSError:
        return False
    return True


def wait_for(predicate, *, timeout: float, what: str, interval: float = 0.1):
    """Poll until ``predicate()`` is truthy and return its value; TimeoutError naming ``what`` after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what}: not within {timeout:g} s")
        time.sleep(interval)


def kill_group(proc: subprocess.Popen, *, timeout: float = 10) -> None:
    """SIGTERM the process group, SIGKILL it after ``timeout`` s, and reap the leader."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            pass
        try:
            proc.wait(timeout=timeout)
            break
        except subprocess.TimeoutExpired:
            continue
    try:  # children the leader left behind (gunicorn and Celery children, if the leader died first)
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait(timeout=timeout)


def spawn(cmd: list[str], *, log: Path | None, env: dict | None = None) -> subprocess.Popen:
    """Start ``cmd`` in its own session (process group), output appended to ``log`` (None: discarded)."""
    with open(log, "ab") if log else open(os.devnull, "wb") as out:
        return subprocess.Popen(
            cmd,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


# --- Redis ------------------------------------------------------------------------------------------------------


class RedisServer:
    """A redis-server of our own: stopped and started again on the same port, so clients must reconnect."""

    def __init__(self, directory: Path, log: Path):
        self.directory = directory
        self.log = log
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def ping(self) -> bool:
        try:
            with self._client(timeout=0.5) as client:
                return bool(client.ping())
        except redis.RedisError:
            return False

    def start(self, timeout: float = 10) -> None:
        cmd = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        cmd += ["--dir", str(self.directory), "--logfile", str(self.log)]
        self.proc = spawn(cmd, log=None)  # it writes to --logfile
        wait_for(lambda: self.ping() or self._exited(), timeout=timeout, what=f"redis PING on {self.port} ({self.log})")
        if not self.ping():
            raise RuntimeError(f"redis-server exited with {self.proc.returncode}; see {self.log}")

    def stop(self, timeout: float = 10) -> None:
        """SHUTDOWN NOSAVE, as an operator's restart would; waits until the port is closed."""
        if self.proc is None or self.proc.poll() is not None:
            return
        try:
            with self._client(timeout=2) as client:
                client.shutdown(nosave=True)
        except redis.RedisError:
            pass
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            kill_group(self.proc)
        wait_for(lambda: not port_open(self.port), timeout=timeout, what=f"redis port {self.port} closed")

    def restart(self) -> None:
        self.stop()
        self.start()

    def kill(self) -> None:
        if self.proc is not None:
            kill_group(self.proc, timeout=5)

    def _client(self, timeout: float) -> redis.Redis:
        # No retries: a probe must answer for this moment, within its timeout.
        return redis.Redis(
            port=self.port, socket_timeout=timeout, socket_connect_timeout=timeout, retry=Retry(NoBackoff(), 0)
        )

    def _exited(self) -> bool:
        return self.proc.poll() is not None


# --- PostgreSQL ---------------------------------------------------------------------------------------------------


def _pg_bindir() -> Path:
    """Debian keeps initdb, pg_ctl and postgres out of PATH, in /usr/lib/postgresql/<version>/bin."""
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    found = versions[-1] if versions else shutil.which("initdb")
    if not found:
        raise RuntimeError("initdb not found (apt-get install postgresql)")
    return Path(found).parent


class PostgresCluster:
    """A PostgreSQL cluster of our own in a temporary directory, trust auth, on 127.0.0.1 and a free port.

    initdb and postgres refuse to run as root, so as root they run as the postgres user, in a directory it owns.
    """

    def __init__(self, log: Path):
        self.bindir = _pg_bindir()
        self.port = free_port()
        self.log = log
        self.as_root = os.geteuid() == 0
        self.directory = Path(tempfile.mkdtemp(prefix="portal-faults-pg-", dir="/tmp"))
        self.data = self.directory / "data"
        try:
            self._init(log)
        except BaseException:
            shutil.rmtree(self.directory, ignore_errors=True)
            raise

    def _init(self, log: Path) -> None:
        log.parent.mkdir(parents=True, exist_ok=True)
        log.touch()
        if self.as_root:  # the log is written by pg_ctl, running as postgres
            shutil.chown(self.directory, "postgres", "postgres")
            shutil.chown(log, "postgres", "postgres")
        self._run("initdb", "-D", self.data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync")
        settings = {
            "listen_addresses": "'127.0.0.1'",
            "port": self.port,
            "unix_socket_directories": f"'{self.directory}'",
            "shared_buffers": "16MB",
            "max_connections": 30,
            "fsync": "off",  # throwaway data: no need to survive a power cut, only a restart
            "synchronous_commit": "off",
            "full_page_writes": "off",
        }
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.writelines(f"{name} = {value}\n" for name, value in settings.items())

    def _run(self, program: str, *args, timeout: float = 60) -> None:
        cmd = [str(self.bindir / program), *map(str, args)]
        if self.as_root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        # Output to the log, not a pipe: the postmaster inherits it and a pipe would never reach EOF.
        with open(self.log, "ab") as out:
            result = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=out, timeout=timeout)
        if result.returncode:
            raise RuntimeError(f"{program} {' '.join(map(str, args))} failed ({result.returncode}); see {self.log}")

    def url(self, dbname: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{dbname}"

    def start(self) -> None:
        self._run("pg_ctl", "-D", self.data, "-l", self.log, "-w", "-t", "30", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", self.data, "-m", mode, "-w", "-t", "30", "stop")

    def restart(self) -> None:
        """``pg_ctl restart -m fast``: every open connection is cut, as in a failover or a minor-version upgrade."""
        self._run("pg_ctl", "-D", self.data, "-l", self.log, "-m", "fast", "-w", "-t", "30", "restart")

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def is_ready(self) -> bool:
        cmd = [str(self.bindir / "pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(self.port), "-t", "1"]
        return subprocess.run(cmd, timeout=5).returncode == 0

    def query(self, sql: str, params=(), dbname: str = "postgres") -> list[tuple]:
        conn = psycopg2.connect(host="127.0.0.1", port=self.port, user="postgres", dbname=dbname, connect_timeout=3)
        conn.autocommit = True
        try:
            with conn.cursor() as cur:
                cur.execute(sql, params)
                return cur.fetchall() if cur.description else []
        finally:
            conn.close()

    def createdb(self, name: str) -> str:
        self.query(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def destroy(self) -> None:
        """Stop at once (``-m immediate``) if running, and remove the directory."""
        try:
            if self.running():
                self.stop("immediate")
        finally:
            shutil.rmtree(self.directory, ignore_errors=True)


# --- HTTP -----------------------------------------------------------------------------------------------------------


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    elapsed: float

    @property
    def text(self) -> str:
        return self.body.decode(errors="replace")

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")

    def json(self):
        return json.loads(self.body)


class PortalClient:
    """One citizen behind the TLS proxy: X-Forwarded-Proto https, its own X-Forwarded-For address (the rate limits
    count per address), its own cookies (kept whatever their Secure flag says). Never follows redirects."""

    def __init__(self, port: int, address: str = "203.0.113.10", timeout: float = 10):
        self.port = port
        self.address = address
        self.timeout = timeout
        self.cookies: dict[str, str] = {}

    @property
    def origin(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def request(self, method: str, path: str, *, body: bytes | None = None, headers: dict | None = None) -> Response:
        sent = {"X-Forwarded-Proto": "https", "X-Forwarded-For": self.address, **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        started = time.monotonic()
        try:
            conn.request(method, path, body=body, headers=sent)
            response = conn.getresponse()
            data = response.read()
        finally:
            conn.close()
        self._keep_cookies(response.headers.get_all("Set-Cookie") or [])
        return Response(response.status, response.headers, data, time.monotonic() - started)

    def get(self, path: str, **kwargs) -> Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, fields, *, referer: str | None = None) -> Response:
        """POST a form, with the csrftoken cookie this client holds and a same-origin Referer (Django checks it
        for https requests)."""
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Referer": self.origin + (referer or path)}
        return self.request("POST", path, body=urllib.parse.urlencode(fields, doseq=True).encode(), headers=headers)

    def submit_form(self, path: str, fields: dict) -> Response:
        """GET the page with the form, take its csrfmiddlewaretoken and POST ``fields`` back to it."""
        page = self.get(path)
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        if page.status != 200 or not found:
            raise AssertionError(f"GET {path}: {page.status}, CSRF token found: {bool(found)}")
        return self.post(path, {"csrfmiddlewaretoken": found.group(1), **fields})

    def _keep_cookies(self, headers: list[str]) -> None:
        for header in headers:
            jar = http.cookies.SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel.value == "" or morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value


# --- The portal ---------------------------------------------------------------------------------------------------


@dataclass
class Mail:
    subject: str
    to: str
    body: str


def production_env(**overrides) -> dict:
    """The environment the portal's production settings read; only PATH and locale come from the test process,
    so the shared services in its DATABASE_URL and REDIS_URL can never leak into a stack."""
    inherited = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR")}
    return {
        **inherited,
        "PYTHONPATH": str(ROOT),
        "PYTHONUNBUFFERED": "1",
        "DJANGO_SETTINGS_MODULE": "gentofte_portal.settings.production",
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "REDIS_URL": "",
        "LOG_LEVEL": "INFO",
        **overrides,
    }


class PortalStack:
    """The portal as an operator runs it (production settings, gunicorn, Celery worker and beat), each process in
    its own process group, logging to ``log_dir``."""

    def __init__(
        self, *, database_url: str, redis_url: str, static_root: Path, work_dir: Path, log_dir: Path, env=None
    ):
        from django.conf import settings

        self.port = free_port()
        self.redis_url = redis_url
        self.work_dir = work_dir
        self.log_dir = log_dir
        self.mail_dir = work_dir / "mail"
        self.mail_dir.mkdir(parents=True, exist_ok=True)
        log_dir.mkdir(parents=True, exist_ok=True)
        defaults = dict(
            DATABASE_URL=database_url,
            REDIS_URL=redis_url,
            CONN_MAX_AGE="60",
            STAFF_OTP_REQUIRED="false",
            TRUSTED_PROXY_COUNT="1",
            PORTAL_BASE_URL=f"http://127.0.0.1:{self.port}",
            # Four slashes: django-environ takes the path after "filemail:///" and drops one leading slash.
            EMAIL_URL=f"filemail:///{self.mail_dir}",
            # The test process's folders: it and the stack see the same files.
            MEDIA_ROOT=str(settings.MEDIA_ROOT),
            PRIVATE_MEDIA_ROOT=str(settings.PRIVATE_MEDIA_ROOT),
            STATIC_ROOT=str(static_root),
            PORTAL_OUTBOX_SWEEP_SECONDS="2",
            PORTAL_REQUEUE_AFTER_SECONDS="5",
        )
        self.env = production_env(**{**defaults, **(env or {})})
        self.procs: dict[str, subprocess.Popen] = {}
        self._worker_log_offset = 0

    def log(self, name: str) -> Path:
        return self.log_dir / f"{name}.log"

    def logs(self) -> str:
        """For assertion messages: where to look."""
        return f"logs in {self.log_dir}"

    def manage(self, *args: str, timeout: float = 120) -> None:
        """``manage.py <args>`` with the stack's environment (migrate, load_demo, shell -c ...)."""
        log = self.log(f"manage-{args[0]}")
        with open(log, "ab") as out:
            result = subprocess.run(
                [sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, stdout=out, stderr=out, timeout=timeout
            )
        if result.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed ({result.returncode}); see {log}")

    # Web

    def start_web(self, workers: int = 2, timeout: float = 30) -> None:
        cmd = [sys.executable, "-m", "gunicorn", "gentofte_portal.wsgi:application", "--bind", f"127.0.0.1:{self.port}"]
        cmd += ["--workers", str(workers), "--worker-class", "sync", "--chdir", str(ROOT), "--timeout", "30"]
        cmd += ["--graceful-timeout", "5", "--access-logfile", "-"]
        proc = self.procs["web"] = spawn(cmd, log=self.log("web"), env=self.env)

        def answers():
            if proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {proc.returncode}; see {self.log('web')}")
            try:
                return self.client(timeout=5).get("/healthz")
            except OSError:
                return None

        wait_for(answers, timeout=timeout, what=f"gunicorn answering /healthz ({self.log('web')})", interval=0.2)

    def client(self, address: str = "203.0.113.10", timeout: float = 10) -> PortalClient:
        return PortalClient(self.port, address, timeout)

    def get(self, path: str, **kwargs) -> Response:
        """One request by a new visitor."""
        return self.client().get(path, **kwargs)

    # Celery

    def start_worker(self, timeout: float = 30) -> None:
        log = self.log("worker")
        self._worker_log_offset = log.stat().st_size if log.exists() else 0
        cmd = [sys.executable, "-m", "celery", "-A", "gentofte_portal", "worker", "--loglevel=INFO", "--concurrency=1"]
        cmd += ["--hostname", f"fault-{uuid.uuid4().hex[:8]}@%h", "--without-gossip", "--without-mingle"]
        proc = self.procs["worker"] = spawn(cmd, log=log, env=self.env)

        def ready():
            if proc.poll() is not None:
                raise RuntimeError(f"Celery worker exited with {proc.returncode}; see {log}")
            return " ready." in self.worker_log()

        wait_for(ready, timeout=timeout, what=f"Celery worker ready ({log})", interval=0.2)

    def worker_log(self) -> str:
        """What the worker logged since it was last started."""
        with open(self.log("worker"), "rb") as f:
            f.seek(self._worker_log_offset)
            return f.read().decode(errors="replace")

    def worker_alive(self) -> bool:
        proc = self.procs.get("worker")
        return proc is not None and proc.poll() is None

    def kill_worker(self) -> None:
        """SIGKILL to the worker's whole process group, as the OOM killer or a container kill would."""
        proc = self.procs.pop("worker")
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)

    def ping_workers(self, timeout: float = 1.0) -> list:
        """Ask the broker who answers, over a fresh connection of the test process's own (so it says nothing about
        the web processes' connections). With Redis down it returns [] after about 6 s."""
        from celery import Celery

        app = Celery("faults-probe", broker=self.redis_url, set_as_current=False)
        app.conf.broker_connection_retry = False
        app.conf.broker_transport_options = {"socket_timeout": 2, "socket_connect_timeout": 1}
        try:
            return app.control.ping(timeout=timeout) or []
        except Exception:  # any broker error means nobody answered
            return []
        finally:
            app.close()

    def start_beat(self, timeout: float = 30) -> None:
        cmd = [sys.executable, "-m", "celery", "-A", "gentofte_portal", "beat", "--loglevel=INFO"]
        cmd += ["-s", str(self.work_dir / "beat-schedule")]
        proc = self.procs["beat"] = spawn(cmd, log=self.log("beat"), env=self.env)

        def started():
            if proc.poll() is not None:
                raise RuntimeError(f"celery beat exited with {proc.returncode}; see {self.log('beat')}")
            return "beat: Starting..." in self.log("beat").read_text(errors="replace")

        wait_for(started, timeout=timeout, what=f"celery beat started ({self.log('beat')})", interval=0.2)

    # Mail

    def mails(self) -> list[Mail]:
        """The messages the file-based backend wrote: each .log file holds one or more, each ended by 79 dashes."""
        found = []
        for path in sorted(self.mail_dir.glob("*.log"), key=lambda p: p.stat().st_mtime):
            for chunk in re.split(rb"(?m)^-{79}$", path.read_bytes()):
                if not chunk.strip():
                    continue
                message = email.message_from_bytes(chunk.strip(), policy=email.policy.default)
                part = message.get_body(("plain",)) or message
                found.append(Mail(str(message["Subject"]), str(message["To"]), part.get_content()))
        return found

    def stop(self) -> None:
        """SIGTERM every process group, SIGKILL what is left after 10 s; in parallel, so a stack stops in one go."""
        threads = [threading.Thread(target=kill_group, args=(proc,)) for proc in self.procs.values()]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
        self.procs.clear()
