"""Sign-in floods: failures are counted per account and per address (not one audit row each);
the attacked account waits longer after each failure; colleagues behind the same address sign
in as usual. The clock is the app's `SIGN_IN_CLOCK`, so no test sleeps."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select

from jdtool.models import AuditEvent, SignInFailure
from jdtool.services import users as user_service

from .recruitment_data import PASSWORD
from .test_audit import events, page_text
from .test_web import csrf_token

START = datetime(2026, 3, 2, 8, 30)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **interval: float) -> None:
        self.now += timedelta(**interval)


@pytest.fixture
def clock(app) -> Clock:
    clock = Clock()
    app.config["SIGN_IN_CLOCK"] = clock
    return clock


@pytest.fixture
def fast_hashes(monkeypatch):
    """Cheap argon2 settings, so thousands of real password checks take seconds (hashes keep
    their own settings, so accounts made now are checked cheaply too)."""
    monkeypatch.setattr(
        user_service, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    )


def attempt(client, token: str, email: str, password: str = "wrong guess"):
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token})


def count(session, model) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model))


def test_three_thousand_failed_sign_ins_add_a_handful_of_audit_rows(client, session, create_user):
    """A flood at one account: the first five are checked, the rest refused without checking
    the password; the log holds the failures at 1, 2 and 4 and the start of the delay."""
    create_user("hr@example.org", PASSWORD)
    token = csrf_token(client)
    statuses = [attempt(client, token, "hr@example.org").status_code for _ in range(3000)]
    assert statuses.count(400) == 5
    assert statuses.count(429) == 2995
    assert len(events(session)) <= 5
    assert count(session, SignInFailure) == 2  # this account and this address


def test_failures_checked_one_by_one_are_logged_at_doubling_counts(
    client, session, create_user, clock, fast_hashes
):
    """Every attempt really checked (the clock moves past each delay): the log gets the 1st,
    2nd, 4th, 8th… failure, with the count so far."""
    create_user("hr@example.org", PASSWORD)
    token = csrf_token(client)
    for _ in range(300):
        response = attempt(client, token, "hr@example.org")
        if response.status_code == 429:
            clock.advance(seconds=int(response.headers["Retry-After"]))
            response = attempt(client, token, "hr@example.org")
        assert response.status_code == 400
    logged = events(session, "login-failed")
    assert [event.detail.split()[0] for event in logged] == [
        "1", "2", "4", "8", "16", "32", "64", "128", "256"
    ]  # fmt: skip
    assert logged[-1].detail.startswith("256 failed for this email since 2026-03-02 08:30")
    assert len(events(session, "login-blocked")) == 1
    assert count(session, SignInFailure) == 2


def test_a_flood_of_different_emails_keeps_the_log_and_the_counters_bounded(
    client, session, clock, fast_hashes, monkeypatch
):
    monkeypatch.setattr(user_service, "MAX_SIGN_IN_COUNTERS", 100)
    token = csrf_token(client)
    for n in range(600):
        assert attempt(client, token, f"guess{n}@example.org").status_code == 400
    assert len(events(session, "login-failed")) <= 30  # 20 before the address counts as a flood
    assert count(session, SignInFailure) == 101  # 100 accounts and the address


def test_a_colleague_behind_the_same_address_signs_in_during_a_flood(
    client, session, create_user, clock, fast_hashes
):
    create_user("head@example.org", PASSWORD)
    create_user("hr@example.org", PASSWORD)
    token = csrf_token(client)
    for n in range(300):  # one guess at many accounts, and many at one, from the school's address
        attempt(client, token, f"staff{n}@example.org")
        attempt(client, token, "head@example.org")
    assert attempt(client, token, "head@example.org", PASSWORD).status_code == 429
    signed_in = attempt(client, token, "hr@example.org", PASSWORD)
    assert signed_in.status_code == 302
    assert client.get("/jds").status_code == 200


def test_the_attacked_account_waits_longer_after_each_failure(client, session, create_user, clock):
    create_user("hr@example.org", PASSWORD)
    token = csrf_token(client)
    for _ in range(4):
        assert attempt(client, token, "hr@example.org").status_code == 400
    waits = []
    for _ in range(4):
        assert attempt(client, token, "hr@example.org").status_code == 400
        refused = attempt(client, token, "hr@example.org", PASSWORD)  # even the right password
        assert refused.status_code == 429
        waits.append(int(refused.headers["Retry-After"]))
        clock.advance(seconds=waits[-1])
    assert waits == [30, 60, 120, 240]
    assert "Wait 4 minutes" in page_text(refused)
    assert attempt(client, token, "hr@example.org", PASSWORD).status_code == 302
    assert count(session, SignInFailure) == 1  # the success forgot the account's failures


def test_the_longest_wait_is_the_window(client, create_user, clock, fast_hashes):
    create_user("hr@example.org", PASSWORD)
    token = csrf_token(client)
    wait = 0
    for _ in range(30):
        response = attempt(client, token, "hr@example.org")
        if response.status_code == 429:
            wait = int(response.headers["Retry-After"])
            clock.advance(seconds=wait)
    assert wait == 15 * 60


def test_a_day_without_failures_starts_the_count_again(client, create_user, clock):
    create_user("hr@example.org", PASSWORD)
    token = csrf_token(client)
    for _ in range(5):
        attempt(client, token, "hr@example.org")
    clock.advance(days=1, minutes=1)
    for _ in range(4):
        assert attempt(client, token, "hr@example.org").status_code == 400
    assert attempt(client, token, "hr@example.org", PASSWORD).status_code == 302


def test_after_a_flood_an_account_tried_from_there_waits_from_its_first_failure(
    app, client, create_user, clock
):
    app.config["LOGIN_FAILURES_PER_ADDRESS"] = 4
    create_user("hr@example.org", PASSWORD)
    create_user("head@example.org", PASSWORD)
    token = csrf_token(client)
    for n in range(5):
        attempt(client, token, f"nobody{n}@example.org")
    assert attempt(client, token, "hr@example.org").status_code == 400
    assert attempt(client, token, "hr@example.org", PASSWORD).status_code == 429
    assert attempt(client, token, "head@example.org", PASSWORD).status_code == 302


def test_unknown_and_real_accounts_are_delayed_alike(client, create_user, clock):
    """The delay does not tell an attacker which emails have accounts."""
    create_user("hr@example.org", PASSWORD)
    token = csrf_token(client)
    answers = {}
    for email in ("hr@example.org", "nobody@example.org"):
        statuses = [attempt(client, token, email).status_code for _ in range(6)]
        answers[email] = (statuses, page_text(attempt(client, token, email)).count("Wait 30"))
    assert answers["hr@example.org"] == answers["nobody@example.org"]


def test_the_counters_are_not_audit_rows(session, create_user, fast_hashes):
    """The service on its own: counting never writes one audit row per failure."""
    create_user("hr@example.org", PASSWORD)
    now = START
    for _ in range(64):
        try:
            user_service.sign_in(session, "hr@example.org", "guess", "192.0.2.1", now=now)
        except user_service.TooManySignIns as refusal:
            now += refusal.wait
    session.commit()
    assert count(session, AuditEvent) < 10


def change_password(client, current: str, new: str = "plum tractor window"):
    url = "/account/password"
    return client.post(
        url,
        data={"current_password": current, "new_password": new,
              "csrf_token": csrf_token(client, url)},
    )  # fmt: skip


def test_guessing_the_current_password_is_delayed_like_signing_in(
    client, session, create_user, clock
):
    """Someone at a colleague's unlocked screen cannot guess the password faster on the change
    form than at sign-in: the same counter, the same growing waits."""
    create_user("hr@example.org", PASSWORD)
    token = csrf_token(client)
    attempt(client, token, "hr@example.org", PASSWORD)  # signed in
    for _ in range(4):
        wrong = change_password(client, "not my password")
        assert wrong.status_code == 400
        assert "Your current password is not right." in page_text(wrong)
    assert change_password(client, "still not it").status_code == 400  # the fifth failure
    refused = change_password(client, PASSWORD)  # even the right one is not checked now
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "30"
    assert "Too many failed sign-ins for this account. Wait 30 seconds" in page_text(refused)
    clock.advance(seconds=30)
    assert change_password(client, PASSWORD).status_code == 302
    assert count(session, SignInFailure) == 1  # the change forgot the account's failures


def test_sign_in_failures_and_wrong_current_passwords_count_together(
    app, client, create_user, clock
):
    create_user("hr@example.org", PASSWORD)
    token = csrf_token(client)
    attempt(client, token, "hr@example.org", PASSWORD)  # this browser is signed in
    other = app.test_client()
    other_token = csrf_token(other)
    for _ in range(3):
        assert attempt(other, other_token, "hr@example.org").status_code == 400
    for _ in range(2):
        assert change_password(client, "not my password").status_code == 400
    assert attempt(other, other_token, "hr@example.org", PASSWORD).status_code == 429
