from django import template

register = template.Library()


@register.filter
def dict_get(mapping, key):
    """Look up a key that is itself a variable: {{ comments|dict_get:section.key }}."""
    return mapping.get(key, []) if mapping else []


@register.filter
def isodate(value):
    """A date stored as ISO text in a mandate's JSON (deliverables, milestones), as a date for |date."""
    import datetime as dt

    try:
        return dt.date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None
