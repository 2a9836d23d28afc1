"""The client's IP address for rate limits. Behind a reverse proxy REMOTE_ADDR is the proxy's, so with
TRUSTED_PROXY_COUNT = n the address is taken from X-Forwarded-For, n entries from the right (the entries the
client could have forged are further left and are ignored)."""

from django.conf import settings


def client_ip(request) -> str:
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count and forwarded:
        hops = [part.strip() for part in forwarded.split(",") if part.strip()]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR", "")
