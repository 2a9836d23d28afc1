"""The results as CSV: semicolons and a byte-order mark, so Danish Excel opens it as it is; only the groups the
page shows (at least MIN_RESPONDENTS answered), never a free text."""

import csv
import io

from django.utils.translation import gettext as _

from .defaults import Choice


def _cell(value) -> str:
    """A text a spreadsheet would run as a formula (=, +, -, @) is written as text."""
    value = str(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def results_csv(results, *, scope: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [_("Omfang"), _("Udsagn"), _("Gruppe"), _("Antal svar")]
        + [label for _value, label in Choice.choices]
        + [_("Helt eller delvis enige (%)"), _("Helt eller delvis uenige (%)")]
    )
    for statement in results.statements:
        for row in statement["rows"]:
            writer.writerow(
                [_cell(scope), _cell(statement["text"]), row.label, row.respondents]
                + [row.counts[value] for value in Choice.values]
                + [row.agree, row.disagree]
            )
    return "\ufeff" + out.getvalue()
