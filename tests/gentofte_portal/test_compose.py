"""An operator can run the whole portal (web, worker, beat, PostgreSQL, Redis) from the shipped image and compose file."""

import re
import shlex
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
ENV_EXAMPLE = ROOT / ".env.example"
SETTINGS_DIR = ROOT / "gentofte_portal" / "settings"

APP_SERVICES = ("web", "worker", "beat")
SHARED_VARIABLES = ("DJANGO_SETTINGS_MODULE", "SECRET_KEY", "DATABASE_URL", "REDIS_URL", "MEDIA_ROOT")

# env("X"), env.bool("X"), env.list("X"), env.db_url("X"), ...: the first string argument is the variable's name.
SETTINGS_ENV_CALL = re.compile(r"""\benv(?:\.\w+)?\(\s*["']([A-Za-z_][A-Za-z0-9_]*)["']""")
COMPOSE_VARIABLE = re.compile(r"(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)")
ENV_EXAMPLE_ENTRY = re.compile(r"^#?\s*([A-Za-z_][A-Za-z0-9_]*)=", re.MULTILINE)


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


def command_of(service: dict) -> str:
    command = service.get("command", "")
    return shlex.join(str(part) for part in command) if isinstance(command, list) else str(command)


def environment_of(service: dict) -> dict:
    environment = service.get("environment") or {}
    if isinstance(environment, list):
        return dict(item.split("=", 1) if "=" in item else (item, None) for item in environment)
    return {key: None if value is None else str(value) for key, value in environment.items()}


def depends_on_of(service: dict) -> dict:
    depends_on = service.get("depends_on") or {}
    if isinstance(depends_on, list):
        return {name: {"condition": "service_started"} for name in depends_on}
    return depends_on


def volume_sources(service: dict, target: str) -> set[str]:
    sources = set()
    for volume in service.get("volumes") or []:
        if isinstance(volume, str):
            source, _, rest = volume.partition(":")
            if rest.split(":")[0] == target:
                sources.add(source)
        elif volume.get("target") == target:
            sources.add(volume.get("source"))
    return sources


def dockerfile_instructions() -> list[tuple[str, str]]:
    text = DOCKERFILE.read_text(encoding="utf-8").replace("\\\n", " ")
    instructions = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, arguments = line.partition(" ")
            instructions.append((keyword.upper(), arguments.strip()))
    return instructions


def test_compose_file_uses_the_compose_spec_without_version_key(compose):
    assert "version" not in compose


def test_all_five_services_exist(services):
    assert {"postgres", "redis", "web", "worker", "beat"} <= set(services)


def test_web_runs_gunicorn_on_the_wsgi_application(services):
    command = command_of(services["web"])
    assert re.search(r"\bgunicorn\b.*\bgentofte_portal\.wsgi(:application)?\b", command), command
    assert "8000" in command


def test_worker_runs_a_celery_worker(services):
    assert "celery -A gentofte_portal worker" in command_of(services["worker"])


def test_beat_runs_celery_beat_with_a_writable_schedule_file(services):
    command = command_of(services["beat"])
    assert "celery -A gentofte_portal beat" in command
    schedule = re.search(r"(?:^|\s)(?:-s|--schedule)[ =](\S+)", command)
    assert schedule and schedule.group(1).startswith("/tmp/"), command


def test_app_services_share_one_environment(services):
    environments = {name: environment_of(services[name]) for name in APP_SERVICES}
    for variable in SHARED_VARIABLES:
        values = {name: environment.get(variable) for name, environment in environments.items()}
        assert len(set(values.values())) == 1, f"{variable} differs: {values}"
        assert None not in values.values(), f"{variable} missing: {values}"
    web = environments["web"]
    assert web["DJANGO_SETTINGS_MODULE"] == "gentofte_portal.settings.production"
    assert re.fullmatch(r"postgres(ql)?://.+@postgres:5432/.+", web["DATABASE_URL"]), web["DATABASE_URL"]
    assert re.fullmatch(r"redis://redis:6379/\d+", web["REDIS_URL"]), web["REDIS_URL"]
    # The secret key is required, never defaulted: ${SECRET_KEY:?...} makes compose refuse to start without it.
    assert web["SECRET_KEY"].startswith("${SECRET_KEY:?"), web["SECRET_KEY"]


def test_app_services_run_the_same_image(services):
    builds = {name: repr(services[name].get("build")) for name in APP_SERVICES}
    images = {name: services[name].get("image") for name in APP_SERVICES}
    assert len(set(builds.values())) == 1 and services["web"].get("build"), builds
    assert len(set(images.values())) == 1, images


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_wait_for_healthy_postgres_and_redis(services, name):
    depends_on = depends_on_of(services[name])
    for dependency in ("postgres", "redis"):
        assert depends_on.get(dependency, {}).get("condition") == "service_healthy", (name, depends_on)


def test_migrations_run_before_web_starts(services):
    if "migrate" in command_of(services["web"]):
        return
    migrators = [
        dependency
        for dependency, options in depends_on_of(services["web"]).items()
        if options.get("condition") == "service_completed_successfully"
        and "manage.py migrate" in command_of(services[dependency])
    ]
    assert migrators, "web neither migrates itself nor waits for a one-shot migrate service"


def test_postgres_and_redis_have_healthchecks(services):
    postgres_check = services["postgres"].get("healthcheck", {}).get("test")
    redis_check = services["redis"].get("healthcheck", {}).get("test")
    assert postgres_check and "pg_isready" in str(postgres_check)
    assert redis_check and "ping" in str(redis_check)
    assert services["postgres"]["image"].startswith("postgres:15")
    assert services["redis"]["image"].startswith("redis:7")


def test_web_and_worker_share_a_named_media_volume(compose, services):
    media_root = environment_of(services["web"])["MEDIA_ROOT"]
    web_sources = volume_sources(services["web"], media_root)
    worker_sources = volume_sources(services["worker"], media_root)
    assert web_sources and web_sources == worker_sources, (web_sources, worker_sources)
    assert web_sources <= set(compose.get("volumes") or {}), "the media volume must be a declared named volume"


def test_web_publishes_port_8000(services):
    assert any(str(port).endswith("8000") for port in services["web"].get("ports", [])), services["web"].get("ports")


def test_every_compose_variable_is_documented_in_env_example():
    documented = set(ENV_EXAMPLE_ENTRY.findall(ENV_EXAMPLE.read_text(encoding="utf-8")))
    used = set(COMPOSE_VARIABLE.findall(COMPOSE_FILE.read_text(encoding="utf-8")))
    assert used, "no ${VARIABLE} found in docker-compose.yml"
    assert used <= documented, f"missing from .env.example: {sorted(used - documented)}"


def test_every_variable_the_settings_read_is_documented_in_env_example():
    read = set()
    for source in SETTINGS_DIR.glob("*.py"):
        read |= set(SETTINGS_ENV_CALL.findall(source.read_text(encoding="utf-8")))
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS"} <= read, read
    documented = set(ENV_EXAMPLE_ENTRY.findall(ENV_EXAMPLE.read_text(encoding="utf-8")))
    assert read <= documented, f"missing from .env.example: {sorted(read - documented)}"


def test_dockerfile_starts_from_python_311_or_newer():
    froms = [arguments for keyword, arguments in dockerfile_instructions() if keyword == "FROM"]
    assert froms, "Dockerfile has no FROM"
    version = re.match(r"(?:docker\.io/)?(?:library/)?python:3\.(\d+)", froms[-1])
    assert version and int(version.group(1)) >= 11, froms[-1]


def test_dockerfile_does_not_run_as_root():
    users = [arguments for keyword, arguments in dockerfile_instructions() if keyword == "USER"]
    assert users, "Dockerfile has no USER, so the container would run as root"
    assert users[-1].split(":")[0] not in {"root", "0"}, users[-1]


def test_dockerfile_runs_gunicorn_with_production_settings():
    instructions = dockerfile_instructions()
    cmds = [arguments for keyword, arguments in instructions if keyword == "CMD"]
    assert cmds and "gunicorn" in cmds[-1] and "gentofte_portal.wsgi" in cmds[-1], cmds
    env_lines = " ".join(arguments for keyword, arguments in instructions if keyword == "ENV")
    assert "DJANGO_SETTINGS_MODULE=gentofte_portal.settings.production" in env_lines
    healthchecks = [arguments for keyword, arguments in instructions if keyword == "HEALTHCHECK"]
    assert healthchecks and "/healthz" in healthchecks[-1], healthchecks


def test_dockerfile_copies_the_code_the_portal_needs_and_it_exists():
    copied = []
    for keyword, arguments in dockerfile_instructions():
        parts = arguments.split()
        if keyword == "COPY" and not any(part.startswith("--from") for part in parts):
            copied += [part.rstrip("/") for part in parts[:-1] if not part.startswith("--")]
    needed = {"pyproject.toml", "README.md", "manage.py", "templates", "static"}
    needed |= {"gentofte_portal", "committees", "recruitment", "meetings"}
    assert needed <= set(copied), f"not copied into the image: {sorted(needed - set(copied))}"
    literal = [source for source in copied if not re.search(r"[*?\[]", source)]
    missing = [source for source in literal if not (ROOT / source).exists()]
    assert not missing, f"COPY sources missing from the repository: {missing}"


def test_dockerignore_keeps_secrets_and_local_state_out_of_the_image():
    # settings.base reads .env from the project root, so a .env in the build context would be baked into the image.
    ignored = {line.strip().rstrip("/") for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()}
    assert {".env", ".venv", ".git", "var", "tests"} <= ignored, ignored


def test_web_worker_and_beat_are_restarted_and_health_checked(services):
    """A worker that dies (a Celery bug during a broker restart, the OOM killer) comes back by itself."""
    for name in APP_SERVICES:
        service = services[name]
        assert service.get("restart") in ("unless-stopped", "always"), (name, service.get("restart"))
        healthcheck = service.get("healthcheck") or {}
        assert healthcheck.get("test") and not healthcheck.get("disable"), (name, healthcheck)
