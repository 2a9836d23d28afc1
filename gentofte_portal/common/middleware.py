"""A page rendered for a signed-in user is theirs alone: a committee member's meeting page shows closed items, and
every page's header names the user. ``Vary: Cookie`` already tells caches so, but a proxy that ignores Vary would
hand it to the next visitor; ``Cache-Control: private`` forbids any shared cache to store it. Responses that chose
their own Cache-Control (a public PDF, an open bilag, the same for everyone) keep it."""

from django.utils.cache import patch_cache_control


class PrivateForSignedInUsersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True)
        return response
