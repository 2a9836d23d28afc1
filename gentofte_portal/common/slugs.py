"""URL slugs from Danish names: æ, ø and å are spelled out (ae, oe, aa) rather than dropped by slugify."""

from django.utils.text import slugify

DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})


def danish_slugify(name: str) -> str:
    return slugify(name.translate(DANISH))
