"""A readable, side-by-side comparison of two versions of a mandate, section by section.

Lines are matched with difflib; within a changed line, the changed words are marked with <del>/<ins> (which
screen readers announce), so staff see exactly what moved between versions.
"""

import difflib
from itertools import zip_longest

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from .models.mandate import TEXT_SECTIONS


def _date(value) -> str:
    if not value:
        return ""
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    year, month, day = text.split("-")
    return f"{day}.{month}.{year}"


def section_lines(version) -> list[tuple[str, str, list[str]]]:
    """(key, title, lines) for every section of a mandate or a historical version of one."""
    due, politicians, citizens, age = _("frist"), _("Politikere"), _("Borgere"), _("Alder")
    start, end = _("Start"), _("Slut")
    sections = [(key, str(title), (getattr(version, key) or "").splitlines()) for key, title in TEXT_SECTIONS]
    deliverables = [
        f"{i}. {d.get('title', '')}"
        + (f" – {d['description']}" if d.get("description") else "")
        + (f" ({due} {_date(d['due_on'])})" if d.get("due_on") else "")
        for i, d in enumerate(version.deliverables or [], start=1)
    ]
    dash = "–"
    composition = [
        f"{politicians}: {dash if version.politician_count is None else version.politician_count}",
        f"{citizens}: {dash if version.citizen_count is None else version.citizen_count}",
    ]
    if version.age_min is not None or version.age_max is not None:
        composition.append(f"{age}: {version.age_min or ''}–{version.age_max or ''}")
    composition += [f"- {c}" for c in version.competences or []]
    timeline = [f"{start}: {_date(version.starts_on)}", f"{end}: {_date(version.ends_on)}"]
    timeline += [f"{_date(m.get('date'))}: {m.get('title', '')}" for m in version.milestones or []]
    sections.insert(3, ("deliverables", _("Leverancer"), deliverables))
    sections.insert(4, ("composition", _("Sammensætning: tal, alder og kompetencer"), composition))
    sections.insert(5, ("timeline", _("Tidsplan"), timeline))
    return sections


def _word_diff(old: str, new: str) -> tuple[str, str]:
    a, b = old.split(" "), new.split(" ")
    left, right = [], []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        old_words, new_words = escape(" ".join(a[i1:i2])), escape(" ".join(b[j1:j2]))
        if tag == "equal":
            left.append(old_words)
            right.append(new_words)
        else:
            if old_words:
                left.append(f"<del>{old_words}</del>")
            if new_words:
                right.append(f"<ins>{new_words}</ins>")
    return " ".join(left), " ".join(right)


def diff_lines(old: list[str], new: list[str]) -> list[dict]:
    rows = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if tag == "equal":
            rows += [{"tag": "equal", "old": escape(line), "new": escape(line)} for line in old[i1:i2]]
        elif tag == "replace":
            for o, n in zip_longest(old[i1:i2], new[j1:j2]):
                if o is not None and n is not None:
                    left, right = _word_diff(o, n)
                    rows.append({"tag": "replace", "old": left, "new": right})
                elif o is not None:
                    rows.append({"tag": "delete", "old": f"<del>{escape(o)}</del>", "new": ""})
                else:
                    rows.append({"tag": "insert", "old": "", "new": f"<ins>{escape(n)}</ins>"})
        elif tag == "delete":
            rows += [{"tag": "delete", "old": f"<del>{escape(line)}</del>", "new": ""} for line in old[i1:i2]]
        else:
            rows += [{"tag": "insert", "old": "", "new": f"<ins>{escape(line)}</ins>"} for line in new[j1:j2]]
    for row in rows:
        row["old"], row["new"] = mark_safe(row["old"]), mark_safe(row["new"])  # noqa: S308 - escaped above
    return rows


def mandate_diff(old_version, new_version) -> list[dict]:
    """Per section: title, whether it changed, and the side-by-side rows."""
    result = []
    for (key, title, old), (_key, _title, new) in zip(
        section_lines(old_version), section_lines(new_version), strict=True
    ):
        rows = diff_lines(old, new)
        result.append({"key": key, "title": title, "changed": old != new, "rows": rows})
    return result
