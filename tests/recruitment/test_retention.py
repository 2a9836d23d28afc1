"""Applications of citizens not appointed are deleted a set time after the appointment; only counts remain (GDPR)."""

import datetime as dt
from io import StringIO

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from committees.models import Committee
from recruitment.models import Allocation, Application, ApplicationView, Call
from recruitment.services import applications_purge
from recruitment.tasks import purge_applications, send_appointment_result
from tests.factories import TaskCommitteeFactory
from tests.recruitment.conftest import application_data

APPLICANTS = [
    # name, status, district, gender
    ("Alma Ravn", Application.Status.APPOINTED, "hellerup", "kvinde"),
    ("Bertram Krog", Application.Status.APPOINTED, "vangede", "mand"),
    ("Cecilie Holt", Application.Status.NOT_APPOINTED, "hellerup", ""),
    ("Dennis Lund", Application.Status.NOT_APPOINTED, "ordrup", "andet"),
    ("Emma Berg", Application.Status.NOT_APPOINTED, "hellerup", "kvinde"),
]
EXPECTED_COUNTS = {
    "ansøgninger": 5,
    "udpegede": 2,
    "bydele": {"hellerup": 3, "vangede": 1, "ordrup": 1},
    "køn": {"kvinde": 2, "mand": 1, "ikke_oplyst": 1, "andet": 1},
}


def add_application(call, name, status=Application.Status.RECEIVED, district="hellerup", gender="kvinde"):
    return Application.objects.create(
        call=call,
        name=name,
        email=f"{name.split()[0].lower()}@example.org",
        postcode="2900",
        district=district,
        birth_year=call.deadline.year - 20,
        gender=gender,
        competences=["Går i skole"],
        motivation=f"{name} vil gerne være med.",
        consent_at=timezone.now(),
        status=status,
    )


def record_allocation(committee, appointed_at) -> Allocation:
    """An allocation as the appointment stores it (appointed_at None: confirmed, not yet appointed)."""
    return Allocation.objects.create(
        committee=committee,
        seats_total=committee.seats,
        groups={"C": ["C"], "A": ["A"]},
        votes={"C": 13, "A": 2},
        seed="test-seed",
        seats={"C": 4, "A": 1},
        quotients=[],
        lots=[],
        transfers=[],
        final_seats={"C": 4, "A": 1},
        confirmed_by=None,
        appointed_at=appointed_at,
    )


def days_ago(days: float, now=None):
    return (now or timezone.now()) - dt.timedelta(days=days)


@pytest.fixture(autouse=True)
def _eager_tasks(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True


@pytest.fixture
def now():
    return timezone.now()


@pytest.fixture
def recruited(open_call, staff):
    """An open call with five applicants, two appointed; staff looked at one not appointed. Returns the call."""
    for name, status, district, gender in APPLICANTS:
        application = add_application(open_call, name, status, district, gender)
        ApplicationView.objects.create(
            application=application, call=open_call, application_name=name, user=staff, action="vist"
        )
    return open_call


def appointed_names():
    return sorted(Application.objects.values_list("name", flat=True))


@pytest.fixture
def untouched_call(term):
    """Another committee's call, without an appointment: must never be purged."""
    committee = TaskCommitteeFactory(term=term, status=Committee.Status.RECRUITING)
    call = Call.objects.create(
        committee=committee,
        title="Opslag uden udpegning",
        competences=["Går i skole"],
        published_at=timezone.now() - dt.timedelta(days=400),
        deadline=timezone.now() - dt.timedelta(days=300),
    )
    add_application(call, "Frida Mose", Application.Status.NOT_APPOINTED)
    add_application(call, "Gustav Dahl", Application.Status.RECEIVED)
    return call


# --- The service ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("age_days", [90, 91, 400])
def test_not_appointed_are_deleted_after_the_retention_period(recruited, now, age_days):
    record_allocation(recruited.committee, days_ago(age_days, now))
    assert applications_purge(now=now) == 3
    assert appointed_names() == ["Alma Ravn", "Bertram Krog"]
    assert set(Application.objects.values_list("status", flat=True)) == {Application.Status.APPOINTED}
    recruited.refresh_from_db()
    assert recruited.purged_at == now
    assert recruited.purged_counts == EXPECTED_COUNTS


@pytest.mark.parametrize("age_days", [0, 1, 89, 89.99])
def test_nothing_is_deleted_before_the_period(recruited, now, age_days):
    record_allocation(recruited.committee, days_ago(age_days, now))
    assert applications_purge(now=now) == 0
    assert Application.objects.count() == len(APPLICANTS)
    recruited.refresh_from_db()
    assert recruited.purged_at is None and recruited.purged_counts == {}


def test_default_retention_is_90_days():
    assert django_settings.RECRUITMENT_RETENTION_DAYS == 90


def test_retention_follows_the_setting(recruited, now, settings):
    settings.RECRUITMENT_RETENTION_DAYS = 30
    record_allocation(recruited.committee, days_ago(31, now))
    assert applications_purge(now=now) == 3
    assert appointed_names() == ["Alma Ravn", "Bertram Krog"]


def test_confirmed_allocation_without_appointment_purges_nothing(recruited, now):
    record_allocation(recruited.committee, appointed_at=None)
    assert applications_purge(now=now) == 0
    assert Application.objects.count() == len(APPLICANTS)


def test_running_twice_deletes_nothing_more(recruited, now):
    record_allocation(recruited.committee, days_ago(100, now))
    assert applications_purge(now=now) == 3
    later = now + dt.timedelta(days=1)
    assert applications_purge(now=later) == 0
    assert appointed_names() == ["Alma Ravn", "Bertram Krog"]
    recruited.refresh_from_db()
    assert recruited.purged_at == now
    assert recruited.purged_counts == EXPECTED_COUNTS


def test_calls_of_committees_without_appointment_are_untouched(recruited, untouched_call, now):
    record_allocation(recruited.committee, days_ago(100, now))
    assert applications_purge(now=now) == 3
    assert sorted(untouched_call.applications.values_list("name", flat=True)) == ["Frida Mose", "Gustav Dahl"]
    untouched_call.refresh_from_db()
    assert untouched_call.purged_at is None and untouched_call.purged_counts == {}


def test_view_log_keeps_the_access_but_blanks_the_names_of_the_deleted(recruited, now, staff):
    record_allocation(recruited.committee, days_ago(100, now))
    applications_purge(now=now)
    assert ApplicationView.objects.count() == len(APPLICANTS)
    kept = sorted(ApplicationView.objects.exclude(application=None).values_list("application_name", flat=True))
    assert kept == ["Alma Ravn", "Bertram Krog"]
    blanked = ApplicationView.objects.filter(application=None)
    assert blanked.count() == 3
    assert set(blanked.values_list("application_name", flat=True)) == {""}
    assert set(blanked.values_list("user", flat=True)) == {staff.pk}


def test_staff_see_the_counts_after_the_purge(client, recruited, now, staff):
    record_allocation(recruited.committee, days_ago(100, now))
    applications_purge(now=now)
    client.force_login(staff)
    content = client.get(reverse("recruitment:review", args=[recruited.pk])).content.decode()
    assert "Der var 5 ansøgninger" in content
    assert "Cecilie Holt" not in content and "Alma Ravn" in content


def test_purge_through_the_form_and_the_citizen_link_dies(
    client, open_call, now, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("recruitment:apply", args=[open_call.pk]), application_data()).status_code == 302
    status_path = "/ansoegning/" + mailoutbox[0].body.split("/ansoegning/")[1].split("/")[0] + "/"
    assert client.get(status_path).status_code == 200
    Application.objects.update(status=Application.Status.NOT_APPOINTED)
    record_allocation(open_call.committee, days_ago(90, now))
    assert applications_purge(now=now) == 1
    assert client.get(status_path).status_code == 404


def test_not_appointed_email_states_the_configured_retention(open_call, settings, mailoutbox):
    settings.RECRUITMENT_RETENTION_DAYS = 180
    application = add_application(open_call, "Cecilie Holt", Application.Status.NOT_APPOINTED)
    assert send_appointment_result(application.pk) is True
    assert "ikke udpeget" in mailoutbox[0].body
    assert "senest 180 dage efter udpegningen" in mailoutbox[0].body


# --- The management command ----------------------------------------------------------------------------------------


def run_command(*args) -> str:
    out = StringIO()
    call_command("purge_applications", *args, stdout=out)
    return out.getvalue()


def test_command_purges_after_the_period(recruited, untouched_call):
    record_allocation(recruited.committee, days_ago(91))
    assert run_command().strip() == "Slettede 3 ansøgninger (opbevaring 90 dage)."
    assert appointed_names() == ["Alma Ravn", "Bertram Krog", "Frida Mose", "Gustav Dahl"]
    recruited.refresh_from_db()
    assert recruited.purged_counts == EXPECTED_COUNTS and recruited.purged_at is not None


def test_command_before_the_period_deletes_nothing(recruited):
    record_allocation(recruited.committee, days_ago(10))
    assert run_command().strip() == "Slettede 0 ansøgninger (opbevaring 90 dage)."
    assert Application.objects.count() == len(APPLICANTS)


def test_command_twice_deletes_nothing_more(recruited):
    record_allocation(recruited.committee, days_ago(91))
    run_command()
    assert run_command().strip() == "Slettede 0 ansøgninger (opbevaring 90 dage)."
    assert Application.objects.count() == 2


def test_command_days_0_purges_right_after_the_appointment(recruited):
    record_allocation(recruited.committee, timezone.now())
    assert run_command("--days", "0").strip() == "Slettede 3 ansøgninger (opbevaring 0 dage)."
    assert appointed_names() == ["Alma Ravn", "Bertram Krog"]


def test_command_days_0_leaves_committees_without_appointment(recruited, untouched_call):
    assert run_command("--days", "0").strip() == "Slettede 0 ansøgninger (opbevaring 0 dage)."
    assert Application.objects.count() == len(APPLICANTS) + 2


def test_command_uses_the_setting(recruited, settings):
    settings.RECRUITMENT_RETENTION_DAYS = 7
    record_allocation(recruited.committee, days_ago(8))
    assert run_command().strip() == "Slettede 3 ansøgninger (opbevaring 7 dage)."


# --- Celery beat ---------------------------------------------------------------------------------------------------


def test_beat_schedule_runs_the_purge_at_least_daily():
    entries = [
        e for e in django_settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "recruitment.purge_applications"
    ]
    assert len(entries) == 1
    schedule = entries[0]["schedule"]
    seconds = schedule.total_seconds() if isinstance(schedule, dt.timedelta) else schedule
    assert seconds <= 24 * 60 * 60


def test_beat_task_name_is_registered_with_celery():
    from gentofte_portal.celery import app

    assert purge_applications.name == "recruitment.purge_applications"
    assert app.tasks["recruitment.purge_applications"].name == "recruitment.purge_applications"


def test_task_purges(recruited, untouched_call):
    record_allocation(recruited.committee, days_ago(91))
    assert purge_applications() == 3
    assert appointed_names() == ["Alma Ravn", "Bertram Krog", "Frida Mose", "Gustav Dahl"]
    assert purge_applications() == 0


def test_task_runs_through_celery(recruited):
    record_allocation(recruited.committee, days_ago(91))
    assert purge_applications.delay().get(timeout=10) == 3
    assert Application.objects.count() == 2
