"""One guard for the staff views of every app (the pattern of pretix's control/permissions.py): each app names its
own rule, the guard applies it the same way everywhere."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def staff_required(check):
    """A view for signed-in users for whom ``check(user)`` holds: anonymous visitors go to the login page, others
    get 403. Per-object rules (this mandate, this call) stay in the view, after the guard."""

    def decorator(view):
        @wraps(view)
        @login_required
        def guarded(request, *args, **kwargs):
            if not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return guarded

    return decorator
