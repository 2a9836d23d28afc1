"""A meeting whose referat takes a few seconds to render, and publishing it through the stack (so the render is
sent to the stack's broker, as staff publishing it in the browser would)."""

import datetime as dt

from django.contrib.auth.models import Group, User
from django.utils import timezone

from meetings.models import AgendaItem, Meeting, Minutes
from tests.factories import CommitteeFactory

LONG_TEXT = "Administrationen har undersøgt sagen grundigt og redegør her for baggrund, økonomi og tidsplan. " * 12


def heavy_meeting(items: int = 120) -> Meeting:
    """Published agenda and approved minutes, set directly in the database: the test process sends no task."""
    staff = User.objects.create_user("fault-staff", password="x-12345-abc")
    staff.groups.add(Group.objects.get_or_create(name="Sekretariat")[0])
    meeting = Meeting.objects.create(
        committee=CommitteeFactory(name="Økonomiudvalget", slug="oekonomi"),
        starts_at=timezone.now() - dt.timedelta(days=2),
        location="Udvalgsværelse A",
        kind="ordinaert",
        agenda_published_at=timezone.now() - dt.timedelta(days=9),
    )
    AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=meeting,
            position=n,
            title=f"Punkt om budgetopfølgning {n}",
            case_number=f"EMN-2026-{n:05d}",
            is_closed=n % 10 == 0,
            summary=LONG_TEXT,
            summary_html=f"<p>{LONG_TEXT}</p>",
            decision="Godkendt.",
            decision_html="<p>Godkendt.</p>",
        )
        for n in range(1, items + 1)
    )
    Minutes.objects.create(meeting=meeting, status=Minutes.Status.APPROVED)
    return meeting


def publish_minutes(stack, meeting: Meeting) -> None:
    """``minutes_publish`` in a process with the stack's settings: the render goes to the stack's broker."""
    stack.manage(
        "shell",
        "-c",
        "from django.contrib.auth.models import User\n"
        "from meetings import services\n"
        "from meetings.models import Minutes\n"
        f"minutes = Minutes.objects.get(meeting_id={meeting.pk})\n"
        "services.minutes_publish(minutes=minutes, by=User.objects.get(username='fault-staff'))\n",
    )
