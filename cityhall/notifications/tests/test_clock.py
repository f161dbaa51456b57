from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from cityhall.core.clock import run_due_jobs
from cityhall.core.models import PeriodicRun
from cityhall.core.periodic import JOBS, periodic

pytestmark = pytest.mark.django_db


@pytest.fixture
def job_calls():
    calls: list = []
    periodic("test.every_hour", every=timedelta(hours=1))(calls.append)
    yield calls
    del JOBS["test.every_hour"]


def test_it_runs_a_job_once_per_interval(job_calls):
    now = timezone.now()
    run_due_jobs(now)
    run_due_jobs(now + timedelta(minutes=59))
    assert job_calls == [now]
    run_due_jobs(now + timedelta(hours=1))
    assert len(job_calls) == 2


def test_it_keeps_running_the_other_jobs_when_one_fails(job_calls):
    def broken(now):
        raise RuntimeError("boom")

    periodic("test.broken", every=timedelta(hours=1))(broken)
    try:
        results = run_due_jobs()
    finally:
        del JOBS["test.broken"]
    assert isinstance(results["test.broken"], RuntimeError)
    assert len(job_calls) == 1
    # A failed job is retried at the next tick rather than waiting out its interval.
    assert not PeriodicRun.objects.filter(name="test.broken").exists()


def test_it_registers_the_daily_purge_and_runs_it_from_the_command(capsys):
    assert "members.purge_expired_applications" in JOBS
    call_command("tick")
    assert "members.purge_expired_applications: 0" in capsys.readouterr().out


def test_the_clock_loop_survives_a_round_that_cannot_reach_the_database(monkeypatch, capsys):
    rounds = iter([RuntimeError("database is locked"), {"test.ok": 1}])

    def run_due_jobs(force=False):
        outcome = next(rounds)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    slept: list = []

    def sleep(seconds):
        slept.append(seconds)
        if len(slept) == 2:  # stop after the second round
            raise KeyboardInterrupt

    command = "cityhall.core.management.commands.tick"
    monkeypatch.setattr(f"{command}.run_due_jobs", run_due_jobs)
    monkeypatch.setattr(f"{command}.time.sleep", sleep)
    with pytest.raises(KeyboardInterrupt):
        call_command("tick", "--loop", "60")
    assert "test.ok: 1" in capsys.readouterr().out
