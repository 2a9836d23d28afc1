"""A page cache for the public pages as anonymous visitors see them.

Most requests are anonymous reads of pages that change only when staff publish or edit something, and rendering
the templates costs far more than the few queries behind them (bench/http.py). So an anonymous visitor's page is
kept in the cache (Redis in production, shared by all workers) under a *content version*: any save or delete of
the portal's data bumps the version after commit, so a change shows at once and a cached page is never older than
the data. ``PORTAL_PUBLIC_CACHE_SECONDS`` bounds what depends on the clock alone (a meeting moving from "kommende"
to "afholdt", a call's deadline passing).

Only requests without a session or messages cookie are served from or stored in the cache, so a logged-in user
(who may see closed items) never gets a cached page, and a cached page never holds anyone's session or messages: a
response that sets a cookie is not stored. A page with a form (the application form) is stored with its CSRF token
replaced by a placeholder, and each visitor gets their own token in its place.

While Redis cannot be reached (``gentofte_portal.common.cache``), pages are rendered for every request and nothing is
cached; a failed version bump is logged, never raised after a commit. When Redis is back, the process that saw the
outage bumps the version once, so no page cached before the outage outlives a change made during it.
"""

import copy
import hashlib
import logging
import re
from functools import wraps

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.middleware.csrf import get_token
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

from .cache import cache_degraded, on_cache_recovery

logger = logging.getLogger("gentofte_portal.common.public_cache")
VERSION_KEY = "portal:public-cache-version"
# Rows no public page shows: a citizen's application, who viewed what, read marks, the audit log's own rows.
# The search index's rows are derived from the others, written by its listener with them (gentofte_portal.pages).
IGNORED_MODELS = {
    "recruitment.application",
    "recruitment.applicationview",
    "meetings.readmark",
    "pages.searchentry",
    # Who was invited to an evaluation and whether they answered: no public page shows it.
    "evaluation.invitation",
}
# The committee page shows an evaluation's published summary, which answers and publishing change.
WATCHED_APPS = ("committees", "meetings", "recruitment", "gentofte_portal", "pages", "evaluation")
CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]+(")')
CSRF_PLACEHOLDER = b"__portal_csrf_token__"


def content_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY, 1)
    return version


def versioned(name: str, compute):
    """``compute()``, kept in the cache under the content version: for data every visitor shares (a form's hundreds
    of committee choices) that changes only when the content does, whoever asks: logged-in users and uncached pages
    too. Computed every time while the cache is degraded or ``PORTAL_SHARED_DATA_CACHE_SECONDS`` is 0 (as in the
    tests). The value must be picklable and must not depend on the request or its language."""
    timeout = settings.PORTAL_SHARED_DATA_CACHE_SECONDS
    if timeout <= 0 or cache_degraded():
        return compute()
    key = f"portal:data:{content_version()}:{name}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=timeout)
    return value


def bump_content_version() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not in the cache (first start, or evicted): any new value differs from what pages used
        cache.add(VERSION_KEY, 2, timeout=None)
    except Exception:  # runs after a commit: the data is saved, so a cache failure must not become an error page
        logger.exception("Could not bump the public page cache's version")


# Callables (model, instance, update_fields) told of every save or delete the page cache hears of, inside the
# transaction, before the version bump is scheduled (the public search index). ``update_fields`` is the save's
# (a frozenset), or None for a full save, a delete or a change made without a save.
_listeners: list = []


def on_content_change(listener) -> None:
    """Have ``listener(model, instance, update_fields)`` hear every change of the portal's data that the page cache
    hears of."""
    if listener not in _listeners:
        _listeners.append(listener)


def content_changed(instance) -> None:
    """For a change made without a save (a queryset's update()): tell the listeners and bump the version, as a
    save would."""
    _changed(type(instance), instance=instance)


def _changed(sender, **kwargs) -> None:
    # connect_signals leaves out IGNORED_MODELS. The listeners first (the search index writes its rows now, in the
    # change's transaction), then the bump after commit.
    for listener in _listeners:
        listener(sender, kwargs.get("instance"), kwargs.get("update_fields"))
    # After commit: a reader between the bump and the commit would otherwise store the old data under the new
    # version. Outside a transaction on_commit runs at once.
    transaction.on_commit(bump_content_version, robust=True)


def connect_signals() -> None:
    """Called from CommonConfig.ready: every model of the portal's apps, history tables included."""
    on_cache_recovery(bump_content_version)
    for label in WATCHED_APPS:
        for model in apps.get_app_config(label).get_models():
            if model._meta.label_lower in IGNORED_MODELS:
                continue
            uid = f"public-cache-{model._meta.label_lower}"
            post_save.connect(_changed, sender=model, dispatch_uid=uid + "-save")
            post_delete.connect(_changed, sender=model, dispatch_uid=uid + "-delete")
            for field in model._meta.local_many_to_many:
                m2m_changed.connect(_changed, sender=field.remote_field.through, dispatch_uid=uid + field.name)


def _cacheable(request) -> bool:
    if settings.PORTAL_PUBLIC_CACHE_SECONDS <= 0 or request.method not in ("GET", "HEAD") or cache_degraded():
        return False
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def _key(request) -> str:
    # The host too: the open-data API's answers name their own absolute URLs.
    path = hashlib.sha256(f"{request.get_host()}{request.get_full_path()}".encode()).hexdigest()
    return f"portal:page:{content_version()}:{get_language()}:{path}"


def public_page(view):
    """Serve ``view``'s page to anonymous visitors from the cache (see the module's docstring)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        key = _key(request)
        response = cache.get(key)
        if response is not None:
            if CSRF_PLACEHOLDER in response.content:
                # This visitor's own token (get_token also has the middleware set the CSRF cookie).
                response.content = response.content.replace(CSRF_PLACEHOLDER, get_token(request).encode())
            # The page differs for a logged-in user; no session was read here, so say so for any cache between.
            patch_vary_headers(response, ["Cookie"])
            return response
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming and not response.cookies:
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            stored = copy.copy(response)
            stored.content = CSRF_INPUT.sub(rb"\1" + CSRF_PLACEHOLDER + rb"\2", response.content)
            cache.set(key, stored, settings.PORTAL_PUBLIC_CACHE_SECONDS)
        return response

    return wrapped


def shared_page(view):
    """Keep ``view``'s answer for everyone, logged in or not, under the content version: for answers that depend on
    nothing but the content, the address and the language (the sitemaps, the Atom feeds, the open-data API), which
    crawlers read page after page and which cost far more to build than to fetch. Unlike ``public_page`` it serves
    logged-in users too and stays on when the page cache is off; ``PORTAL_SHARED_DATA_CACHE_SECONDS`` bounds what
    changes with the clock alone (0 switches it off). Only a 200 without cookies is kept."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        timeout = settings.PORTAL_SHARED_DATA_CACHE_SECONDS
        if timeout <= 0 or request.method not in ("GET", "HEAD") or cache_degraded():
            return view(request, *args, **kwargs)
        key = _key(request).replace("portal:page:", "portal:shared-page:", 1)
        response = cache.get(key)
        if response is not None:
            return response
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming and not response.cookies:
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            cache.set(key, copy.copy(response), timeout)
        return response

    return wrapped
