"""Redis stopped while citizens apply, and Redis restarted under a running worker: nothing is lost, no request
fails or waits for the broker, and each receipt is sent once when Redis is back."""

import datetime as dt
import time
from collections import Counter

import pytest
from django.utils import timezone

from gentofte_portal.documents.models import Document
from gentofte_portal.outbox.models import Message
from recruitment.models import Application, Call
from tests.factories import TermFactory
from tests.faults.meeting_data import heavy_meeting, publish_minutes
from tests.faults.stack import wait_for

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]
CITIZENS = 20


def open_call() -> Call:
    from committees.models import Committee

    committee = Committee.objects.create(
        kind="opgave", term=TermFactory(), name="Opgaveudvalg for Trafik", slug="trafik", seats=15,
        politician_seats=5, citizen_seats=10, status="rekruttering",
    )  # fmt: skip
    return Call.objects.create(
        committee=committee,
        title="Bliv medlem af Opgaveudvalg for Trafik",
        published_at=timezone.now(),
        deadline=timezone.now() + dt.timedelta(days=10),
    )


def application(n: int) -> dict:
    return {
        "name": f"Borger Nummer {n}",
        "email": f"borger{n}@example.org",
        "postcode": "2900",
        "district": "hellerup",
        "birth_year": "1980",
        "motivation": "Jeg cykler hver dag og vil gøre vejene sikrere.",
        "consent": "on",
        "website": "",
    }


def receipts(stack) -> Counter:
    return Counter(m.to for m in stack.mails() if m.subject.startswith("Kvittering"))


def test_citizens_apply_while_redis_is_stopped_and_get_one_receipt_each_when_it_is_back(running_stack, redis_server):
    call = open_call()
    stack = running_stack
    apply_path = f"/opslag/{call.pk}/ansoeg/"
    assert stack.get(apply_path).status == 200  # cached in Redis before it stops

    redis_server.stop()
    statuses, slowest = Counter(), 0.0
    for path in ["/", "/udvalg/", "/moeder/", "/opslag/", f"/opslag/{call.pk}/"]:
        page = stack.get(path)
        statuses[page.status] += 1
        slowest = max(slowest, page.elapsed)
    for n in range(CITIZENS):
        citizen = stack.client(address=f"198.51.100.{n + 1}")
        answer = citizen.submit_form(apply_path, application(n))
        statuses[answer.status] += 1
        slowest = max(slowest, answer.elapsed)
        if answer.status == 302:
            receipt = citizen.get(answer.location.replace(citizen.origin, ""))
            statuses[receipt.status] += 1
            assert "Tak for din ansøgning" in receipt.text
    assert statuses == Counter({200: 5 + CITIZENS, 302: CITIZENS}), (statuses, stack.logs())
    assert slowest < 3, f"slowest response {slowest:.2f} s while Redis was down; {stack.logs()}"
    assert Application.objects.filter(call=call).count() == CITIZENS
    assert Message.objects.filter(status="venter").count() == CITIZENS
    assert receipts(stack) == Counter()

    redis_server.start()
    back = time.monotonic()
    wait_for(lambda: len(receipts(stack)) == CITIZENS, timeout=90, what=f"{CITIZENS} receipts ({stack.logs()})")
    took = time.monotonic() - back
    time.sleep(4)  # two more sweeps: nothing is sent again
    sent = receipts(stack)
    assert sent == Counter({f"borger{n}@example.org": 1 for n in range(CITIZENS)}), sent
    assert Message.objects.filter(status="udfoert").count() == CITIZENS
    print(f"receipts all sent {took:.1f} s after Redis was back; slowest response while down {slowest:.2f} s")


def test_the_worker_carries_on_when_redis_restarts_during_a_task(running_stack, redis_server):
    """Redis restarts while the worker renders a referat: everything Redis held (queues, bindings, the unacked
    message, the page cache) is gone. The worker reconnects and carries on (same process), the render is finished,
    and new work (a citizen's receipt) flows again."""
    call = open_call()
    meeting = heavy_meeting()
    stack = running_stack
    worker = stack.procs["worker"].pid
    publish_minutes(stack, meeting)
    wait_for(lambda: "portal.render_document" in stack.worker_log(), timeout=30, what=f"a render ({stack.logs()})")
    time.sleep(0.5)
    redis_server.restart()

    wait_for(lambda: "Connected to redis" in stack.worker_log().split("Connection to broker lost")[-1]
             if "Connection to broker lost" in stack.worker_log() else False,
             timeout=60, what=f"the worker reconnecting ({stack.logs()})")  # fmt: skip
    citizen = stack.client(address="198.51.100.2")
    assert citizen.submit_form(f"/opslag/{call.pk}/ansoeg/", application(2)).status == 302
    wait_for(lambda: receipts(stack)["borger2@example.org"] == 1, timeout=60, what=f"the receipt ({stack.logs()})")
    documents = Document.objects.filter(kind="referat", object_id=meeting.pk)
    wait_for(lambda: set(documents.values_list("status", flat=True)) == {"klar"}, timeout=120,
             what=f"both referat PDFs ({stack.logs()})", interval=1)  # fmt: skip
    assert stack.worker_alive() and stack.procs["worker"].pid == worker, "the worker died: " + stack.logs()
    assert "Unrecoverable error" not in stack.worker_log()
    assert receipts(stack) == Counter({"borger2@example.org": 1})
