"""The language switch in every page's header.

Django's ``set_language`` without the CSRF check: the header's form then needs no token, so a public page holds
nothing personal and can be served to every anonymous visitor from the page cache (gentofte_portal.common.public_cache).
All a forged request could do is change the visitor's language, and the view still only redirects to this site.
"""

from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

language_switch = csrf_exempt(set_language)
