"""Hostile input to every form the portal serves over HTTP, and the check that the fuzz table really has them all.

The forms of the apps are fuzzed in tests/<app>/test_hostile_input_<app>.py; this module fuzzes the portal's own
(login, the second login step, language switch, site search, retrying a PDF) and walks the URLconf: a view that
accepts POST and is not in one of the tables fails ``test_every_form_is_fuzzed``, unless it is excluded below with
its reason. See tests/hostile.py for what every example checks.
"""

import inspect
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.hostile import F, FormSpec, form_tests, url, world_fixture

pytestmark = pytest.mark.django_db
world = world_fixture()

FORMS = [
    FormSpec(
        "login",
        lambda w: url("login"),
        {
            "username": F("text", "fuzz-signe"),
            "password": F("text", lambda w: w.password),
            "next": F("text", "/arbejde/"),
        },
        user="anon",
    ),
    FormSpec(
        "two_factor",
        lambda w: url("two_factor"),
        {"token": F("int", "123456"), "next": F("text", "/arbejde/")},
        settings={"PORTAL_STAFF_OTP_REQUIRED": True},
        valid_status=400,  # no code is valid without the app
    ),
    FormSpec(
        "set_language",
        lambda w: url("set_language"),
        {"language": F("choice", "en", ["da", "en"]), "next": F("text", "/moeder/")},
        user="anon",
    ),
    FormSpec(
        "documents_staff", lambda w: url("documents_staff"), {"dokument": F("int", lambda w: str(w.failed_document.pk))}
    ),
    FormSpec("search", lambda w: url("search"), {"q": F("text", "ungepolitik")}, user="anon", method="GET"),
]


# The two tests every table of forms gets (tests/hostile.py), collected from this module with its `world`.
test_hostile_input_is_refused_cleanly, test_each_field_alone_refuses_sharp_values_cleanly = form_tests(FORMS)


# --- Every form is in a fuzz table ----------------------------------------------------------------------------------

# Views that accept POST but are not fuzzed, each with its reason.
EXCLUDED = {
    # Django's own LogoutView: it reads no field (only the CSRF token) and ends the session.
    "logout": "Django's LogoutView reads no input",
}
# URL namespaces out of scope: the Django admin's forms are Django's own.
EXCLUDED_NAMESPACES = {"admin"}
PORTAL_MODULES = ("committees.", "recruitment.", "meetings.", "gentofte_portal.", "django.contrib.auth.views")


def fuzz_tables() -> list[FormSpec]:
    from tests.committees.test_hostile_input_committees import FORMS as COMMITTEES
    from tests.evaluation.test_hostile_input_evaluation import FORMS as EVALUATION
    from tests.meetings.test_hostile_input_meetings import FORMS as MEETINGS
    from tests.network.test_hostile_input_network import FORMS as NETWORK
    from tests.recruitment.test_hostile_input_recruitment import FORMS as RECRUITMENT
    from tests.subscriptions.test_hostile_input_subscriptions import FORMS as SUBSCRIPTIONS

    return FORMS + COMMITTEES + RECRUITMENT + MEETINGS + SUBSCRIPTIONS + NETWORK + EVALUATION


def url_patterns(patterns=None, namespace=()):
    """(name with namespace, pattern) for every route in the URLconf."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = (*namespace, pattern.namespace) if pattern.namespace else namespace
            yield from url_patterns(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            yield ":".join((*namespace, pattern.name or "?")), pattern


def _sources(callback) -> str:
    """The source of a view and of every decorator layer around it (require_POST shows only in the outer ones)."""
    texts = []
    func = callback
    while func is not None:
        target = func if inspect.isfunction(func) or inspect.ismethod(func) else type(func).__call__
        try:
            texts.append(inspect.getsource(target))
        except (OSError, TypeError):
            pass
        func = getattr(func, "__wrapped__", None)
    return "\n".join(texts)


def accepts_post(callback) -> bool:
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        return hasattr(view_class, "post") and "post" in view_class.http_method_names
    source = _sources(callback)
    return bool(re.search(r"require_POST|request\.POST|request\.FILES|request\.method\s*==\s*.POST.", source))


def in_scope(name: str, pattern) -> bool:
    if name.split(":", 1)[0] in EXCLUDED_NAMESPACES:
        return False
    callback = pattern.callback
    module = getattr(getattr(callback, "view_class", None), "__module__", None) or getattr(callback, "__module__", "")
    return module.startswith(PORTAL_MODULES) or name == "set_language"


def test_every_form_is_fuzzed():
    post_views = {name for name, p in url_patterns() if in_scope(name, p) and accepts_post(p.callback)}
    fuzzed = {spec.name for spec in fuzz_tables()}
    # Sanity: the walk finds the forms we know of.
    assert {"recruitment:apply", "meetings:attachment_upload", "committees:mandate_edit", "login"} <= post_views
    missing = post_views - fuzzed - set(EXCLUDED)
    assert not missing, f"views that accept POST but are in no fuzz table (tests/*/test_hostile_input*.py): {missing}"
    known = {name for name, _p in url_patterns()}
    stale = {name for name in fuzzed | set(EXCLUDED) if name not in known}
    assert not stale, f"fuzz table rows for URLs that no longer exist: {stale}"


def test_every_form_in_the_templates_posts_to_a_fuzzed_url():
    """Forms whose action names a URL ({% url 'x' %}) must be in a table too; forms without an action post to
    the page's own URL, which the URLconf walk covers."""
    fuzzed = {spec.name for spec in fuzz_tables()} | set(EXCLUDED)
    templates = Path(settings.BASE_DIR) / "templates"
    actions = set()
    for path in templates.rglob("*.html"):
        for tag in re.findall(r"<form\b[^>]*>", path.read_text()):
            actions.update(re.findall(r"action=\"\{% url '([^']+)'", tag))
    assert actions, "no form actions found: has the template layout changed?"
    assert actions <= fuzzed, f"forms posting to URLs in no fuzz table: {actions - fuzzed}"


# --- Regression tests for what the fuzz found ------------------------------------------------------------------------


def test_retrying_a_document_that_is_not_a_number_is_not_found(world):
    """?dokument=abc reached get_object_or_404 as a primary key: ValueError, a 500."""
    client = Client()
    client.force_login(world.users["staff"])
    for value in ["abc", "-1e309", "²", ""]:
        assert client.post(url("documents_staff"), {"dokument": value}).status_code == 404


def test_a_username_longer_than_any_account_is_refused_before_it_is_tried(world):
    """Django's login form only sets max_length: a 10,000-character name went to the login throttling's record
    (255 characters), which PostgreSQL refused with an error (a 500)."""
    from axes.models import AccessAttempt

    response = Client().post(url("login"), {"username": "a" * 10_000, "password": "forkert"})
    assert response.status_code == 200
    assert response.context["form"].errors["username"]
    assert not AccessAttempt.objects.exists()


def test_the_search_ignores_control_characters(world):
    """A NUL in ?q= reached the query: PostgreSQL refuses it (a 500). The rest of the words count."""
    page = Client().get(url("search"), {"q": "Ungepo\x00litik"}).content.decode()
    assert "Opgaveudvalg for Ungepolitik" in page
