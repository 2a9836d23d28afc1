"""English users get every UI string in English."""

import re
from pathlib import Path

import polib
from django.utils import translation

LOCALE = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES"
PO_FILE = LOCALE / "django.po"
MO_FILE = LOCALE / "django.mo"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def translations(catalogue) -> dict:
    """(context, msgid) → the translation, or the tuple of plural forms."""
    result = {}
    for entry in catalogue:
        if entry.msgid_plural:
            value = tuple(entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural))
        else:
            value = entry.msgstr
        result[(entry.msgctxt, entry.msgid)] = value
    return result


def test_every_entry_is_translated_and_keeps_its_placeholders():
    po = polib.pofile(str(PO_FILE))
    entries = [e for e in po if not e.obsolete]
    assert entries

    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []
    wrong = []
    for e in entries:
        if e.msgid_plural:
            # English has two forms: [0] answers the singular msgid, [1] the plural.
            pairs = [(e.msgid, e.msgstr_plural[0]), (e.msgid_plural, e.msgstr_plural[1])]
        else:
            pairs = [(e.msgid, e.msgstr)]
        wrong += [(source, target) for source, target in pairs if placeholders(source) != placeholders(target)]
    assert wrong == []


def test_compiled_catalogue_matches_the_po_file():
    """A forgotten compilemessages leaves the .mo behind the .po; mtimes are useless after a git checkout."""
    po = polib.pofile(str(PO_FILE))
    mo = polib.mofile(str(MO_FILE))
    assert translations(mo) == translations(po.translated_entries())


def test_english_strings_and_choice_labels():
    from committees.models import Mandate

    with translation.override("en"):
        assert translation.gettext("Opgaveudvalgsportalen") == "Task Committee Portal"
        assert str(Mandate.Status.DRAFT.label) == "Draft"
        assert str(Mandate.Status.IN_DISCUSSION.label) == "For discussion in the standing committee"
        assert str(Mandate.Status.APPROVED.label) == "Approved by the municipal council"
        assert str(Mandate._meta.verbose_name) == "mandate"
        assert translation.ngettext("%(n)s kommentar", "%(n)s kommentarer", 2) % {"n": 2} == "2 comments"
        # "Udvalg" is both one committee and several; the singular has its own context.
        assert translation.gettext("Udvalg") == "Committees"
        assert translation.pgettext("ét udvalg", "Udvalg") == "Committee"
    with translation.override("da"):
        assert str(Mandate.Status.DRAFT.label) == "Kladde"
        assert translation.pgettext("ét udvalg", "Udvalg") == "Udvalg"
