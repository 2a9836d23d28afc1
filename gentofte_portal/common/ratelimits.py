"""The rate limits of the public forms that take an email address (subscriptions, the citizens' network): per
client IP and per address, both counted on every POST, so neither a single address nor a single IP can flood."""

from django_ratelimit.core import is_ratelimited


def _address_key(group, request):
    """The rate limit per address; django-ratelimit stores only a hash of it."""
    return request.POST.get("email", "").strip().lower()[:254]


def ip_or_address_limited(request, *, group: str, ip_rate: str, address_rate: str) -> bool:
    """True when this POST is over either limit (both are counted, whichever is hit)."""
    by_ip = is_ratelimited(request, group=group, key="ip", rate=ip_rate, method="POST", increment=True)
    by_address = is_ratelimited(
        request, group=f"{group}.address", key=_address_key, rate=address_rate, method="POST", increment=True
    )
    return by_ip or by_address


def noindex(response):
    """Personal pages reached by a signed link: never indexed, never followed."""
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
