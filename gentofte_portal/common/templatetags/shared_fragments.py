"""``{% shared_fragment "name" var … %}…{% endshared_fragment %}``: a piece of a page that is the same for every
user who may see the page, rendered once per content version and language and kept in the cache.

Logged-in users never get the page cache (gentofte_portal.common.public_cache), so without this every politician
and staff member paid for rendering the long, shared parts of a page (the meeting list's 90 rows and 300 filter
options) on every visit. The fragment is keyed by the content version (any change to the portal's data makes a new
one), the language and the values given after the name, which must include everything the fragment depends on
that is not content: the query string's filters and page, and any visibility class (never a user's identity); an
empty name renders the fragment without the cache, for a user whose fragment is their own. A form's CSRF token is
kept as a placeholder (as the page cache keeps it) and each request gets its own token in its place. What depends on the clock alone is bounded by ``PORTAL_SHARED_DATA_CACHE_SECONDS``
(0 switches fragments off, as in the tests).

Whatever the fragment reads lazily (a queryset, a ``cached_property``) is read only when it is rendered, so a cached
fragment also saves its queries.
"""

import hashlib
import re

from django import template
from django.conf import settings
from django.core.cache import cache
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from gentofte_portal.common.cache import cache_degraded
from gentofte_portal.common.public_cache import CSRF_INPUT, CSRF_PLACEHOLDER, content_version

register = template.Library()
PLACEHOLDER = CSRF_PLACEHOLDER.decode()
CSRF_INPUT = re.compile(CSRF_INPUT.pattern.decode())


class SharedFragmentNode(template.Node):
    def __init__(self, name, vary_on, nodelist):
        self.name, self.vary_on, self.nodelist = name, vary_on, nodelist

    def render(self, context):
        timeout = settings.PORTAL_SHARED_DATA_CACHE_SECONDS
        if timeout <= 0 or cache_degraded():
            return self.nodelist.render(context)
        name = self.name.resolve(context)
        if not name:  # the view says this user's fragment is their own (e.g. a politician's list of drafts)
            return self.nodelist.render(context)
        vary = "\x1f".join(str(v.resolve(context)) for v in self.vary_on)
        digest = hashlib.sha256(vary.encode()).hexdigest()
        key = f"portal:fragment:{content_version()}:{get_language()}:{name}:{digest}"
        html = cache.get(key)
        if html is None:
            html = str(self.nodelist.render(context))
            cache.set(key, CSRF_INPUT.sub(r"\g<1>" + PLACEHOLDER + r"\g<2>", html), timeout)
        elif PLACEHOLDER in html:
            html = html.replace(PLACEHOLDER, str(context.get("csrf_token", "")))  # this request's own token
        return mark_safe(html)  # noqa: S308 - the template's own output, escaped when it was rendered


@register.tag("shared_fragment")
def shared_fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(f"'{bits[0]}' needs a name")
    nodelist = parser.parse(("endshared_fragment",))
    parser.delete_first_token()
    return SharedFragmentNode(parser.compile_filter(bits[1]), [parser.compile_filter(b) for b in bits[2:]], nodelist)
