"""Every route × every role: who may open what.

The expectations below are the access rules, written for a reviewer. The test walks
`app.url_map`, so a new route without a row here fails `test_every_route_has_expectations`.
Each request carries a valid CSRF token, so the access check (not CSRF) is what answers.
The same prepared database is built once per module on SQLite and once on PostgreSQL.
"""

from __future__ import annotations

import io
import itertools
import re
import zipfile
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from flask_login.utils import _create_identifier
from sqlalchemy import func, select

from jdtool.app import create_app
from jdtool.models import AuditEvent, User

from .hostile_files import clean_pdf

#: Who is asking. "chair" and "member" sit on the prepared vacancy's shortlisting panel;
#: "outsider" is a panel account sitting only on another vacancy.
ROLES = ("admin", "hr", "head", "chair", "member", "outsider", "anonymous")
EMAILS = {
    "admin": "admin@example.org",
    "hr": "hr@example.org",
    "head": "head@example.org",
    "chair": "chair@example.org",
    "member": "member@example.org",
    "outsider": "outsider@example.org",
}

EVERYONE = {"admin", "hr", "head", "chair", "member", "outsider"}  # signed in
PUBLIC = EVERYONE | {"anonymous"}
ADMIN = {"admin"}
MANAGERS = {"admin", "hr", "head"}  # write JDs, the library, adverts; run recruitment
SIGNATORIES = {"admin", "head"}  # record a signed copy as signed
MONITORING = {"admin", "hr"}  # equal-opportunities answers
ORGANISERS = {"admin", "hr"}  # schools and trusts, their statements, pay rules and logos
ON_VACANCY = MANAGERS | {"chair", "member"}
PANEL_SEATS = {"chair", "member"}
DECIDERS = MANAGERS | {"chair"}  # decisions, overrides, the final shortlist
CHAIR = {"chair"}  # agreed scores
TRAINING = MANAGERS | {"member"}  # the member records their own training date

#: (endpoint, method) -> roles allowed. Everyone else: anonymous is sent to sign in, a signed-in
#: user gets 403 "Not allowed" — except that a vacancy the user does not sit on is "not found"
#: (404), said the same way as a missing vacancy so other vacancies cannot be probed.
EXPECTED: dict[tuple[str, str], set[str]] = {
    ("static", "GET"): PUBLIC,
    ("auth.login", "GET"): PUBLIC,
    ("auth.login", "POST"): PUBLIC,
    ("auth.logout", "POST"): EVERYONE,
    ("healthz", "GET"): PUBLIC,
    ("index", "GET"): EVERYONE,
    ("admin.audit", "GET"): ADMIN,
    ("organisations.index", "GET"): ORGANISERS,
    ("organisations.add", "GET"): ORGANISERS,
    ("organisations.add", "POST"): ORGANISERS,
    ("organisations.edit", "GET"): ORGANISERS,
    ("organisations.edit", "POST"): ORGANISERS,
    ("admin.users", "GET"): ADMIN,
    ("admin.users", "POST"): ADMIN,
    ("admin.change_user_role", "POST"): ADMIN,
    ("admin.set_user_access", "POST"): ADMIN,
    ("admin.reset_user_password", "POST"): ADMIN,
    ("auth.change_password", "GET"): EVERYONE,
    ("auth.change_password", "POST"): EVERYONE,
    ("personal_data.retention", "GET"): ADMIN,
    ("personal_data.run_retention", "POST"): ADMIN,
    ("personal_data.confirm_close", "GET"): MANAGERS,
    ("personal_data.close_vacancy", "POST"): MANAGERS,
    # job descriptions and Word exports
    ("documents.index", "GET"): EVERYONE,
    ("documents.show", "GET"): EVERYONE,
    ("documents.import_file", "GET"): MANAGERS,
    ("documents.import_file", "POST"): MANAGERS,
    ("documents.approve", "GET"): MANAGERS,
    ("documents.approve", "POST"): MANAGERS,
    ("documents.new_version", "POST"): MANAGERS,
    ("documents.edit", "GET"): MANAGERS,
    ("documents.edit", "POST"): MANAGERS,
    ("documents.review", "GET"): MANAGERS,
    ("documents.review", "POST"): MANAGERS,
    ("exports.download_job_description", "GET"): EVERYONE,
    ("exports.advert", "GET"): MANAGERS,
    ("exports.advert", "POST"): MANAGERS,
    ("exports.download_advert", "GET"): EVERYONE,
    ("exports.upload_logo", "POST"): MANAGERS,
    ("exports.produce_signed_copy", "POST"): MANAGERS,
    ("exports.download_signed_copy", "GET"): MANAGERS,
    ("exports.record_signed", "POST"): SIGNATORIES,
    # clause library
    ("library.index", "GET"): EVERYONE,
    ("library.clusters", "GET"): EVERYONE,
    ("library.common_core_view", "GET"): EVERYONE,
    ("library.merges", "GET"): EVERYONE,
    ("library.report", "GET"): EVERYONE,
    ("library.merge", "GET"): MANAGERS,
    ("library.merge", "POST"): MANAGERS,
    ("library.undo", "POST"): MANAGERS,
    ("library.compose_start", "GET"): MANAGERS,
    ("library.compose_start", "POST"): MANAGERS,
    ("library.compose", "GET"): MANAGERS,
    ("library.compose", "POST"): MANAGERS,
    ("library.compose_line", "POST"): MANAGERS,
    ("library.decide_duplicate", "POST"): MANAGERS,
    ("library.merge_jds", "GET"): MANAGERS,
    ("library.merge_jds", "POST"): MANAGERS,
    # vacancies, applicants, panels
    ("vacancies.index", "GET"): EVERYONE,
    ("vacancies.index", "POST"): MANAGERS,
    ("vacancies.scoring", "GET"): EVERYONE,  # "Your scoring": each user's own panel work
    ("vacancies.show", "GET"): ON_VACANCY,
    ("vacancies.add_panel_member", "POST"): MANAGERS,
    ("vacancies.record_training", "POST"): TRAINING,
    ("vacancies.applicants", "GET"): ON_VACANCY,
    ("vacancies.applicants", "POST"): MANAGERS,
    ("vacancies.declare_conflict", "POST"): PANEL_SEATS,
    ("vacancies.upload_file", "POST"): MANAGERS,
    ("vacancies.download_file", "GET"): ON_VACANCY,
    ("vacancies.equal_opportunities", "GET"): MONITORING,
    ("vacancies.equal_opportunities", "POST"): MONITORING,
    # scoring, moderation, ranking, decisions
    ("vacancies.stage", "GET"): ON_VACANCY,
    ("vacancies.score_sheet", "GET"): ON_VACANCY,
    ("vacancies.score_sheet", "POST"): PANEL_SEATS,
    ("vacancies.amend_sheet", "POST"): PANEL_SEATS,
    ("vacancies.discard_draft", "POST"): PANEL_SEATS,
    ("vacancies.moderation", "GET"): ON_VACANCY,
    ("vacancies.moderation", "POST"): CHAIR,
    ("vacancies.ranking", "GET"): ON_VACANCY,
    ("vacancies.decide", "POST"): DECIDERS,
    ("vacancies.override", "POST"): DECIDERS,
    ("vacancies.finalise", "POST"): DECIDERS,
    # records and CSV
    ("vacancies.record", "GET"): ON_VACANCY,
    ("vacancies.candidate_record", "GET"): MANAGERS,
    ("vacancies.scores_csv", "GET"): ON_VACANCY,
    ("vacancies.blank_sheets", "GET"): ON_VACANCY,
    ("vacancies.scores_template", "GET"): ON_VACANCY,
    ("vacancies.import_scores", "POST"): MANAGERS,
    # interview questions: HR or the interview chair prepares them; the interview panel gets
    # the pack (the prepared chair and member sit on the shortlisting panel only)
    ("questions.index", "GET"): MANAGERS,
    ("questions.index", "POST"): MANAGERS,
    ("questions.edit", "GET"): MANAGERS,
    ("questions.edit", "POST"): MANAGERS,
    ("questions.move", "POST"): MANAGERS,
    ("questions.delete", "POST"): MANAGERS,
    ("questions.add_from_bank", "POST"): MANAGERS,
    ("questions.pack", "GET"): MANAGERS,
}

CSRF_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
_databases = itertools.count(1)


@dataclass
class Prepared:
    app: object
    #: Values for every URL argument, all real rows of the prepared database.
    arguments: dict[str, object]
    #: Per role: the signed-in session cookie and a CSRF token valid for it.
    sessions: dict[str, tuple[str | None, str]]


def prepare(session) -> dict[str, object]:
    """A round (teaching assistant JD approved, vacancy, three applicants, chair + member), admin,
    HR, head, an outsider on a second vacancy, a draft JD, a signed copy, a clause merge, a file."""
    from jdtool.services.applicants import add_applicant, attach_application_file
    from jdtool.services.exports import produce_signed_copy
    from jdtool.services.library import find_clusters, merge_clauses
    from jdtool.services.panels import add_panel_member, declare_conflict
    from jdtool.services.questions import QuestionDraft, add_question
    from jdtool.services.vacancies import create_vacancy

    from .factories import create_job_description
    from .recruitment_data import build_round

    round_ = build_round(session)
    # One argon2 hash (about a second each on a busy machine) shared by the extra accounts.
    password_hash = round_.member.user.password_hash
    accounts = {"admin": "admin", "hr": "hr", "head": "head", "outsider": "panel"}
    users = {
        role: User(email=EMAILS[role], name=role, role=account, password_hash=password_hash)
        for role, account in accounts.items()
    }
    session.add_all(users.values())
    session.flush()
    admin = users["admin"]
    other = create_vacancy(session, round_.vacancy.version.job_description_id, "Another vacancy")
    add_panel_member(session, other, EMAILS["outsider"], "shortlisting")
    # A draft whose duty nearly repeats one of the round's JD, for the clause merge below.
    create_job_description(
        session,
        title="Learning Support Assistant",
        sections=[
            ("Main duties", ["Work closely with teachers to plan and deliver learning activities."])
        ],
    )
    signed_copy = produce_signed_copy(
        session, round_.vacancy.version.job_description_id, "Sam", admin
    )
    canonical, variant, *_ = (member.clause for member in find_clusters(session)[0].members)
    merge = merge_clauses(session, [variant.id], canonical.id, user=admin)
    upload = attach_application_file(
        session, round_.applications[0], "Applicant 1 form.pdf", clean_pdf("form")
    )
    # For guessing: another vacancy's application and file; the member's declared conflict.
    elsewhere = add_applicant(session, other, "Other Person", "other@example.org")
    elsewhere_file = attach_application_file(session, elsewhere, "other.pdf", clean_pdf("other"))
    declare_conflict(session, round_.member, round_.applications[1], "A neighbour")
    questions = [
        add_question(session, round_.vacancy, QuestionDraft(text, [criterion.id]))
        for text, criterion in zip(
            ("Why this school?", "Kept to be deleted?"),
            round_.vacancy.version.criteria()[:2],
            strict=True,
        )
    ]
    session.commit()
    return {
        "job_description_id": round_.vacancy.version.job_description_id,
        "organisation_id": round_.vacancy.version.organisation_id,
        "signed_copy_id": signed_copy.id,
        "merge_id": merge.id,
        "vacancy_id": round_.vacancy.id,
        "stage": "shortlisting",
        "application_id": round_.applications[0].id,
        "file_id": upload.id,
        "member_id": round_.member.id,
        "kind": "docx",
        "filename": "missing.css",
        #: The conflict route takes the last applicant, so panel members keep seeing the first.
        "conflict_application_id": round_.applications[-1].id,
        "other_vacancy_id": other.id,
        "other_application_id": elsewhere.id,
        "other_file_id": elsewhere_file.id,
        "conflicted_application_id": round_.applications[1].id,
        "conflicted_reference": round_.applications[1].reference,
        "question_id": questions[0].id,
        #: The delete route takes its own question, so the others keep finding theirs.
        "deleted_question_id": questions[1].id,
    }


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def prepared(request, tmp_path_factory) -> Prepared:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('matrix') / 'jdtool.sqlite3'}"
    else:
        from .postgres import create_database

        server = request.getfixturevalue("postgres_server")
        url = create_database(server, f"matrix_{next(_databases)}")
    app = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "matrix-secret"})
    with app.extensions["jdtool_sessions"]() as session:
        arguments = prepare(session)
    sessions = {}
    with app.extensions["jdtool_sessions"]() as session:
        ids = {email: user_id for user_id, email in session.execute(select(User.id, User.email))}
    for role in ROLES:
        client = app.test_client()
        token = CSRF_TOKEN.search(client.get("/login").get_data(as_text=True)).group(1)
        if role != "anonymous":
            # Signed in as Flask-Login does (the sign-in form itself is a row of the matrix),
            # without an argon2 check per role.
            with app.test_request_context(environ_base=client.environ_base):
                identifier = _create_identifier()
            with client.session_transaction() as cookie_session:
                cookie_session.update(
                    {"_user_id": f"{ids[EMAILS[role]]}:1", "_fresh": True, "_id": identifier}
                )
            assert client.get("/jds").status_code == 200, role
        cookie = client.get_cookie("session")
        sessions[role] = (cookie.value if cookie else None, token)
    yield Prepared(app, arguments, sessions)
    app.extensions["jdtool_engine"].dispose()


def rules_by_key(app) -> dict[tuple[str, str], object]:
    return {
        (rule.endpoint, method): rule
        for rule in app.url_map.iter_rules()
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
    }


def test_every_route_has_expectations():
    app = create_app({"TESTING": True, "DATABASE_URL": "sqlite://", "SECRET_KEY": "x"})
    routes = set(rules_by_key(app))
    assert sorted(routes - EXPECTED.keys()) == [], "routes with no access expectations"
    assert sorted(EXPECTED.keys() - routes) == [], "expectations for routes that do not exist"


def url_of(prepared: Prepared, rule) -> str:
    """The rule's address with real IDs from the prepared database."""
    from flask import url_for

    arguments = {name: prepared.arguments[name] for name in rule.arguments}
    if rule.endpoint == "vacancies.declare_conflict":
        arguments["application_id"] = prepared.arguments["conflict_application_id"]
    if rule.endpoint == "questions.delete":
        arguments["question_id"] = prepared.arguments["deleted_question_id"]
    with prepared.app.test_request_context():
        return url_for(rule.endpoint, **arguments)


def client_for(prepared: Prepared, role: str):
    client = prepared.app.test_client()
    cookie, token = prepared.sessions[role]
    if cookie:
        client.set_cookie("session", cookie)
    return client, token


def audit_count(prepared: Prepared) -> int:
    with prepared.app.extensions["jdtool_sessions"]() as session:
        return session.scalar(select(func.count(AuditEvent.id)))


@pytest.mark.parametrize(("endpoint", "method"), list(EXPECTED))
def test_route_answers_each_role_as_expected(prepared, endpoint, method):
    rule = rules_by_key(prepared.app)[(endpoint, method)]
    url = url_of(prepared, rule)
    allowed = EXPECTED[(endpoint, method)]
    for role in ROLES:
        client, token = client_for(prepared, role)
        before = audit_count(prepared)
        response = client.open(url, method=method, data={"csrf_token": token})
        location = response.headers.get("Location", "")
        page = response.get_data().decode("utf-8", "replace")
        title = re.search(r"<title>(.*?)</title>", page)
        said = f"{role} {method} {url}: {response.status_code} {title and title.group(1)}"
        if role in allowed:
            assert response.status_code < 500, said
            assert response.status_code not in (401, 403), said
            if endpoint != "auth.logout":  # signing out ends on the sign-in page
                assert not location.startswith("/login"), said
            if endpoint != "static":
                assert response.status_code != 404, said
            assert "The form was out of date" not in page, said
        elif role == "anonymous":
            assert response.status_code == 302, said
            assert location.startswith("/login?next="), said
        elif role == "outsider" and "<int:vacancy_id>" in rule.rule:
            assert response.status_code == 404, said
            assert "There is no vacancy with ID" in page, said
        else:
            assert response.status_code == 403, said
            assert "You do not have permission to do that." in page, said
        if role not in allowed:
            assert audit_count(prepared) == before, f"{role}: a refused request left a log entry"
        if endpoint == "auth.logout":
            restore_sessions(prepared)


def restore_sessions(prepared: Prepared) -> None:
    """Signing out ends every session of the user: put the prepared cookies back in force."""
    from sqlalchemy import update

    with prepared.app.extensions["jdtool_sessions"]() as session:
        session.execute(update(User).values(session_version=1))
        session.commit()


# -- guessing addresses --------------------------------------------------------------------------


def test_guessed_ids_of_other_vacancies_and_conflicted_applicants_are_not_found(prepared):
    ids = prepared.arguments
    vacancy, other = ids["vacancy_id"], ids["other_vacancy_id"]
    stage = f"/vacancies/{vacancy}/shortlisting"
    elsewhere, conflicted = ids["other_application_id"], ids["conflicted_application_id"]
    guesses = {
        # another vacancy's application and file, through this vacancy's addresses
        "chair": [
            f"{stage}/applications/{elsewhere}",
            f"/vacancies/{vacancy}/applications/{elsewhere}/files/{ids['other_file_id']}",
            f"/vacancies/{vacancy}/applications/{ids['application_id']}/files/"
            f"{ids['other_file_id']}",
            f"/vacancies/{other}",
            f"/vacancies/{other}/shortlisting/scores.csv",
            f"/vacancies/{other}/shortlisting/record.docx",
        ],
        # the applicant the member declared a conflict with
        "member": [
            f"{stage}/applications/{conflicted}",
            f"/vacancies/{other}/shortlisting/applications/{elsewhere}",
        ],
        "hr": [
            f"{stage}/applications/{elsewhere}",
            f"{stage}/applications/{elsewhere}/record.docx",
            f"/vacancies/{vacancy}/applications/{elsewhere}/files/{ids['other_file_id']}",
        ],
    }
    for role, urls in guesses.items():
        client, _token = client_for(prepared, role)
        for url in urls:
            assert client.get(url).status_code == 404, f"{role} {url}"
    member, _token = client_for(prepared, "member")
    for url in (stage, f"{stage}/scores.csv", f"{stage}/ranking", f"{stage}/record.docx"):
        response = member.get(url)
        assert response.status_code == 200, url
        content = response.get_data()
        if content.startswith(b"PK"):
            with zipfile.ZipFile(io.BytesIO(content)) as package:
                content = package.read("word/document.xml")
        assert ids["conflicted_reference"].encode() not in content, url
        assert b"Applicant 2" not in content, url


# -- CSRF ---------------------------------------------------------------------------------------


def table_counts(prepared: Prepared) -> dict[str, int]:
    from jdtool.db import Base

    with prepared.app.extensions["jdtool_sessions"]() as session:
        return {
            table.name: session.scalar(select(func.count()).select_from(table))
            for table in Base.metadata.sorted_tables
        }


def test_every_post_without_a_csrf_token_is_refused_and_changes_nothing(prepared):
    posts = [rule for (_, method), rule in rules_by_key(prepared.app).items() if method == "POST"]
    assert len(posts) > 25
    before = table_counts(prepared)
    for role in ("admin", "chair"):
        client, _token = client_for(prepared, role)
        for rule in posts:
            url = url_of(prepared, rule)
            response = client.post(url, data={"title": "x", "email": "new@example.org"})
            assert response.status_code == 400, f"{role} POST {url}"
            assert "The form could not be sent" in response.get_data(as_text=True), url
    assert table_counts(prepared) == before


def is_token(name: str) -> bool:
    """`csrf_token`, or `<prefix>-csrf_token` for a form with a prefix."""
    return name == "csrf_token" or name.endswith("-csrf_token")


class _PostForms(HTMLParser):
    """Each <form method=post> on a page, and whether a csrf_token field is inside it."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, bool]] = []
        self._open: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form" and (attributes.get("method") or "").lower() == "post":
            self.forms.append((attributes.get("action") or "", False))
        elif tag == "input" and self.forms and is_token(attributes.get("name") or ""):
            action, _ = self.forms[-1]
            self.forms[-1] = (action, True)


def test_every_form_that_posts_carries_a_csrf_token(prepared):
    pages = 0
    forms = 0
    for role in ("admin", "chair", "anonymous"):  # every form HR, heads and panels see
        client, _token = client_for(prepared, role)
        for (endpoint, method), rule in rules_by_key(prepared.app).items():
            if method != "GET" or endpoint == "static" or role not in EXPECTED[(endpoint, method)]:
                continue
            response = client.get(url_of(prepared, rule))
            if response.mimetype != "text/html":
                continue
            reader = _PostForms()
            reader.feed(response.get_data(as_text=True))
            pages += 1
            forms += len(reader.forms)
            missing = [action for action, has_token in reader.forms if not has_token]
            assert missing == [], f"{role} {rule.rule}: forms without a CSRF token"
    assert pages > 40, pages
    assert forms > 40, forms
