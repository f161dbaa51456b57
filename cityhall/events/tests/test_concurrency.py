"""Twenty members press "申し込む" at the same moment for three seats: real concurrent requests,
each thread on its own database connection, against a database that really commits."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client

from cityhall import testing
from cityhall.events.models import Registration
from cityhall.events.tests.conftest import make_event

RACERS = 20
SEATS = 3


@pytest.mark.django_db(transaction=True)
def test_it_never_overbooks_when_members_race_for_the_last_seats():
    event = make_event(starts_in=timedelta(days=2), capacity=SEATS)
    clients = []
    for i in range(RACERS):
        user = testing.make_user(f"racer{i}@city.example.lg.jp", given_name=f"走者{i}")
        clients.append(testing.sign_in(Client(), user))
    url = f"/events/{event.pk}/register/"
    start = threading.Barrier(RACERS)
    statuses: list[int] = []
    errors: list[BaseException] = []

    def race(client: Client) -> None:
        try:
            start.wait()
            statuses.append(client.post(url).status_code)
        except BaseException as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()  # each thread opened its own connection

    threads = [threading.Thread(target=race, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert statuses == [302] * RACERS
    rows = Registration.objects.filter(event=event)
    assert rows.filter(status="confirmed").count() == SEATS
    assert rows.filter(status="waitlisted").count() == RACERS - SEATS
    positions = sorted(rows.values_list("position", flat=True))
    assert positions == list(range(1, RACERS + 1))  # one queue, no two with the same place
