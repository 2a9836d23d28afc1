"""A worker killed mid-render (SIGKILL: the OOM killer, a redeploy) does not lose the PDF: the next worker renders
it within two minutes without anyone touching it. A worker that dies under ``manage.py run_worker`` (make run) is
started again."""

import os
import signal
import subprocess
import sys
import time

import pytest

from gentofte_portal.documents.models import Document
from tests.faults.meeting_data import heavy_meeting, publish_minutes
from tests.faults.stack import kill_group, spawn, wait_for

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]


def referat_pdf(stack, meeting) -> bool:
    response = stack.get(f"/moeder/{meeting.pk}/referat.pdf")
    assert response.status in (200, 202), (response.status, stack.logs())
    return response.status == 200 and response.headers["Content-Type"] == "application/pdf"


def test_a_worker_killed_mid_render_leaves_the_pdf_to_the_next_worker(running_stack):
    meeting = heavy_meeting()
    stack = running_stack
    publish_minutes(stack, meeting)
    wait_for(lambda: "portal.render_document" in stack.worker_log(), timeout=30, what=f"a render ({stack.logs()})")
    time.sleep(0.8)
    stack.kill_worker()
    documents = Document.objects.filter(kind="referat", object_id=meeting.pk)
    assert documents.count() == 2 and documents.filter(status="klar").count() < 2, "rendered before the kill"
    assert referat_pdf(stack, meeting) is False  # "PDF'en dannes …" (202)

    restarted = time.monotonic()
    stack.start_worker()  # as docker-compose's restart policy or make run's supervisor would
    wait_for(lambda: referat_pdf(stack, meeting), timeout=120, what=f"the referat PDF ({stack.logs()})", interval=1)
    took = time.monotonic() - restarted
    assert set(documents.values_list("status", flat=True)) == {"klar"}
    print(f"referat PDF served {took:.1f} s after the new worker started")


def test_run_worker_starts_a_dead_worker_again(portal_stack, redis_server, fault_logs):
    stack = portal_stack(redis_url=redis_server.url)
    supervisor = spawn(
        [sys.executable, "manage.py", "run_worker", "--concurrency=1", "--pause=0.5"],
        log=fault_logs / "run_worker.log",
        env=stack.env,
    )
    try:
        wait_for(lambda: stack.ping_workers(), timeout=40, what="the supervised worker answering")
        child = int(subprocess.check_output(["pgrep", "-P", str(supervisor.pid)], text=True).split()[0])
        os.kill(child, signal.SIGKILL)
        wait_for(lambda: subprocess.run(["kill", "-0", str(child)], capture_output=True).returncode, timeout=10,
                 what="the worker gone")  # fmt: skip
        wait_for(lambda: stack.ping_workers(), timeout=60, what="a new worker answering after the kill")
        assert supervisor.poll() is None
        assert "starting it again" in (fault_logs / "run_worker.log").read_text()
        supervisor.send_signal(signal.SIGTERM)  # as Ctrl-C or a stop would: worker and supervisor end
        supervisor.wait(timeout=30)
        assert supervisor.returncode == 0
    finally:
        kill_group(supervisor, timeout=5)  # also what a killed worker may have left in the group
