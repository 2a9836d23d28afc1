"""Ask once before an action that cannot be undone (issue 13): a page that says in plain words what will happen and
posts back to the same URL with ``bekraeft=ja``. No script, so it works under the CSP, by keyboard and on a phone.

A view shows the page on GET and on a POST without the confirmation, and acts only on a confirmed POST."""

from django.shortcuts import render

CONFIRM_FIELD = "bekraeft"
CONFIRM_VALUE = "ja"


def is_confirmed(request) -> bool:
    return request.method == "POST" and request.POST.get(CONFIRM_FIELD) == CONFIRM_VALUE


def confirm_page(
    request,
    *,
    title: str,
    points: list[str],
    button: str,
    cancel_url: str,
    refusal: str = "",
    hidden: dict | None = None,
    danger: bool = True,
    status: int = 200,
):
    """``points`` say what will happen; ``refusal`` (when the action is impossible now) replaces the button with the
    reason. ``hidden`` fields go with the confirmation (e.g. which action of a multi-action URL)."""
    return render(
        request,
        "confirm.html",
        {
            "title": title,
            "points": points,
            "button": button,
            "cancel_url": cancel_url,
            "refusal": refusal,
            "hidden": sorted((hidden or {}).items()),
            "danger": danger,
            "confirm_field": CONFIRM_FIELD,
            "confirm_value": CONFIRM_VALUE,
        },
        status=status,
    )
