"""Latency and throughput of the busiest pages under concurrent clients, on gunicorn with two
worker processes, on SQLite and then on a throwaway PostgreSQL server (loopback only).

    .venv/bin/python benchmarks/load.py [--seconds 4] [--clients 1,8,32] [--applicants 30]
                                        [--queries]

Each cell runs `clients` threads, each sending one request after another, for at most
--seconds (and at most --max-requests in all); it reports p50/p95 latency and requests/s. The
sign-in page (a template, no database) is measured the same way in the same run, as the
baseline: the ratio column is the page's p95 over the baseline's at the same client count, so
it holds on a busy machine. --queries also prints each page's SQL statement count.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event  # noqa: E402 (after the path set-up above, for `tests`)

from jdtool.app import create_app  # noqa: E402
from jdtool.services.approval import approve_job_description
from jdtool.services.decisions import record_decision  # noqa: E402
from jdtool.services.documents import import_document  # noqa: E402
from jdtool.services.panels import add_panel_member  # noqa: E402
from jdtool.services.scoping import scope_for  # noqa: E402
from jdtool.services.scoring import stage_criteria  # noqa: E402
from jdtool.services.users import create_user  # noqa: E402
from tests.conftest import SEED_IDS, ready_for_approval, seed_path  # noqa: E402
from tests.gunicorn import CSRF_TOKEN, WebClient, run_gunicorn  # noqa: E402
from tests.postgres import create_database, throwaway_postgres  # noqa: E402
from tests.recruitment_data import PASSWORD, build_round, score_all  # noqa: E402

HR_EMAIL = "hr@example.org"
CHAIR_EMAIL = "chair@example.org"


def build(url: str, applicants: int) -> dict[str, str]:
    """Seed JDs, a vacancy with `applicants` applicants, three members' scores for each and
    decisions for a third; returns the measured pages' paths."""
    app = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "x"})
    with app.extensions["jdtool_sessions"]() as session:
        round_ = build_round(session, applicants=applicants)
        for seed_id in SEED_IDS[1:]:
            path = seed_path(seed_id)
            job_description = import_document(session, path.name, path.read_bytes())
            if seed_id in ("001", "002"):
                ready_for_approval(session, job_description.id)  # E/D decided for 002
                approve_job_description(session, job_description.id)
        create_user(session, "third@example.org", PASSWORD, name="Third Member", role="panel")
        third = add_panel_member(session, round_.vacancy, "third@example.org", "shortlisting")
        create_user(session, HR_EMAIL, PASSWORD, role="hr")
        session.commit()
        for index, application in enumerate(round_.applications):
            for member, value in ((round_.chair, "3"), (round_.member, "2"), (third.member, "1")):
                overrides = {8: "0"} if index % 7 == 0 and member is round_.chair else None
                score_all(session, member, application, value, overrides)
        # The chair's decision, with its reasons and criteria, for every third applicant.
        scope = scope_for(session, round_.chair.user, round_.vacancy.id)
        first_criteria = [
            c.criterion.id for c in stage_criteria(scope.vacancy.version, "shortlisting")[:2]
        ]
        for application in round_.applications[::3]:
            record_decision(
                session, scope, application.id, "shortlisting", "shortlist",
                "Clear evidence of 1:1 support in the application", first_criteria,
            )  # fmt: skip
        session.commit()
        vacancy = round_.vacancy
        pages = {
            "JD page": f"/jds/{vacancy.version.job_description_id}",
            "scoring grid": (
                f"/vacancies/{vacancy.id}/shortlisting/applications/{round_.applications[-1].id}"
            ),
            "ranking": f"/vacancies/{vacancy.id}/shortlisting/ranking",
        }
    app.extensions["jdtool_engine"].dispose()
    return pages


def count_queries(url: str, pages: dict[str, str]) -> dict[str, int]:
    """SQL statements each page runs (in-process test client, same database)."""
    app = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "x"})
    statements = 0

    def count(*_args):
        nonlocal statements
        statements += 1

    event.listen(app.extensions["jdtool_engine"], "before_cursor_execute", count)
    counts = {}
    for name, path in pages.items():
        client = app.test_client()
        email = CHAIR_EMAIL if name == "scoring grid" else HR_EMAIL
        token = CSRF_TOKEN.search(client.get("/login").get_data(as_text=True)).group(1)
        client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token})
        statements = 0
        response = client.get(path)
        assert response.status_code == 200, (name, response.status_code)
        counts[name] = statements
    app.extensions["jdtool_engine"].dispose()
    return counts


def measure(clients: list[WebClient], path: str, seconds: float, max_requests: int):
    """Each client sends requests one after another until time or the request budget is up."""
    latencies: list[float] = []
    failures: list[int] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds
    budget = [max_requests]

    def run(client: WebClient) -> None:
        while time.monotonic() < deadline:
            with lock:
                if budget[0] <= 0:
                    return
                budget[0] -= 1
            started = time.perf_counter()
            reply = client.get(path)
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                if reply.status != 200:
                    failures.append(reply.status)

    started = time.perf_counter()
    threads = [threading.Thread(target=run, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 120)
    wall = time.perf_counter() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "per_second": len(latencies) / wall,
        "p50": statistics.median(latencies) * 1000,
        "p95": latencies[min(len(latencies) - 1, int(len(latencies) * 0.95))] * 1000,
        "failures": failures,
    }


def signed_in_clients(base_url: str, email: str, count: int) -> list[WebClient]:
    """`count` clients sharing one signed-in session (signing in costs an argon2 hash)."""
    first = WebClient(base_url)
    first.sign_in(email, PASSWORD)
    clients = [first]
    for _ in range(count - 1):
        client = WebClient(base_url)
        for cookie in first.cookies:
            client.cookies.set_cookie(cookie)
        clients.append(client)
    return clients


def run_backend(name: str, url: str, args) -> list[tuple]:
    pages = build(url, args.applicants)
    if args.queries:
        for page, statements in count_queries(url, pages).items():
            print(f"  {name}: {page} runs {statements} SQL statements", flush=True)
    rows = []
    with run_gunicorn(url, workers=2) as base_url:
        most = max(args.clients)
        hr = signed_in_clients(base_url, HR_EMAIL, most)
        chair = signed_in_clients(base_url, CHAIR_EMAIL, most)
        for client in hr[:2] + chair[:2]:  # warm both workers up
            for path in pages.values():
                client.get(path)
        # Not signed in: the sign-in page itself (a signed-in visitor is redirected).
        anonymous = [WebClient(base_url) for _ in range(most)]
        for count in args.clients:
            baseline = measure(anonymous[:count], "/login", args.seconds, args.max_requests)
            rows.append((name, "sign-in page (baseline)", count, baseline, 1.0))
            for page, path in pages.items():
                clients = (chair if page == "scoring grid" else hr)[:count]
                result = measure(clients, path, args.seconds, args.max_requests)
                rows.append((name, page, count, result, result["p95"] / baseline["p95"]))
                print(f"  {name} {page} x{count}: p95 {result['p95']:.0f} ms", flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--max-requests", type=int, default=2000)
    parser.add_argument("--clients", default="1,8,32")
    parser.add_argument("--applicants", type=int, default=30)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--queries", action="store_true")
    args = parser.parse_args()
    args.clients = [int(n) for n in args.clients.split(",")]
    rows = []
    load_before = os.getloadavg()[0]
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="jdtool-load-")))
        for backend in args.backends.split(","):
            if backend == "sqlite":
                url = f"sqlite:///{folder / 'load.sqlite3'}"
            else:
                server = stack.enter_context(throwaway_postgres())
                url = create_database(server, "load")
            rows += run_backend(backend, url, args)
    print()
    print(
        f"Machine load average (1 min): {load_before:.1f} at the start, "
        f"{os.getloadavg()[0]:.1f} at the end, on {os.cpu_count()} CPUs."
    )
    print("| database | page | clients | requests | req/s | p50 ms | p95 ms | p95 / baseline |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for backend, page, count, result, ratio in rows:
        failed = f" ({len(result['failures'])} not 200)" if result["failures"] else ""
        print(
            f"| {backend} | {page} | {count} | {result['requests']}{failed} | "
            f"{result['per_second']:.1f} | {result['p50']:.0f} | {result['p95']:.0f} | "
            f"{ratio:.1f}× |"
        )


if __name__ == "__main__":
    main()
