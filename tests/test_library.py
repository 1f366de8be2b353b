"""The clause library: duplicates in a document, linking, clusters, merge/undo, composing."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from jdtool.errors import DomainError, Forbidden
from jdtool.models import Clause, ClauseMerge
from jdtool.services.compose import (
    NearDuplicateInDocument,
    add_clause,
    add_new_text,
    merge_job_descriptions,
    start_job_description,
)
from jdtool.services.library import (
    common_core,
    find_clusters,
    merge_clauses,
    search_library,
    undo_merge,
)

from .conftest import SEED_IDS, seed_path

SEN_TA = "Has some understanding and experience of working with SEN children as a TA"
TA = "Has some understanding and experience of working with children as a TA"


# -- jdtool duplicates ----------------------------------------------------------------------------


def test_duplicates_on_seed_000_reports_repeated_duties_and_criteria(cli, seed_document):
    seed_document("000")
    result = cli("duplicates", "1", "--json")
    assert result.exit_code == 0, result.output
    pairs = json.loads(result.output)
    found = {(pair["kind"], pair["a"]["position"], pair["b"]["position"]) for pair in pairs}
    assert found == {
        ("duty", 34, 38),
        ("duty", 35, 39),
        ("criterion", 11, 19),
        ("criterion", 12, 16),
        ("criterion", 13, 17),
        ("criterion", 14, 18),
    }
    duty_pair = next(pair for pair in pairs if pair["a"]["position"] == 34)
    assert duty_pair["match"] == "exact"
    assert duty_pair["score"] == 100
    assert duty_pair["b"]["text"].startswith("Be aware of and comply with policies")
    assert set(duty_pair) == {"kind", "a", "b", "score", "match"}


def test_duplicates_does_not_pair_the_sen_look_alike(cli, seed_document):
    seed_document("000")
    pairs = json.loads(cli("duplicates", "1", "--json").output)
    assert not [pair for pair in pairs if pair["a"]["position"] == 10]


def test_duplicates_reports_near_and_subset(cli, seed_document):
    seed_document("003")
    seed_document("001")
    near = json.loads(cli("duplicates", "1", "--json").output)
    assert [(pair["a"]["position"], pair["b"]["position"], pair["match"]) for pair in near] == [
        (2, 4, "near")
    ]
    assert 90 <= near[0]["score"] < 100
    subset = json.loads(cli("duplicates", "2", "--json").output)
    assert [(pair["kind"], pair["a"]["position"], pair["b"]["position"], pair["match"])
            for pair in subset] == [("criterion", 5, 6, "subset")]  # fmt: skip


def test_duplicates_text_output_and_none_found(cli, seed_document):
    seed_document("000")
    seed_document("004")
    lines = cli("duplicates", "1").output.splitlines()
    assert lines[0].startswith("duty\t34\t38\texact\t100\tBe aware of and comply")
    assert len(lines) == 6
    assert cli("duplicates", "2").output == (
        "No duplicated duties or criteria in job description 2.\n"
    )
    assert cli("duplicates", "2", "--json").output.strip() == "[]"


def test_duplicates_of_an_unknown_document_is_a_one_line_error(cli):
    result = cli("duplicates", "42")
    assert result.exit_code == 1
    assert result.output == "jdtool: There is no job description with ID 42.\n"


# -- linking and the library ---------------------------------------------------------------------


def test_every_imported_duty_and_criterion_is_linked_to_a_clause(session, import_seed):
    version = import_seed("000").current
    assert all(duty.clause_id for duty in version.duties())
    assert all(criterion.clause_id for criterion in version.criteria())
    duties = version.duties()
    assert duties[33].clause_id == duties[37].clause_id  # word-for-word repeat: one clause
    clause = session.get(Clause, duties[0].clause_id)
    assert (clause.kind, clause.category) == ("duty", "Duties and Responsibilities")


def test_importing_again_reuses_clauses_and_counts_usage(session, import_seed):
    import_seed("000")
    clause_count = len(session.scalars(select(Clause)).all())
    import_seed("000")
    assert len(session.scalars(select(Clause)).all()) == clause_count
    (entry,) = search_library(session, "group work", kind="criterion")
    assert entry.clause.text == "Experience of delivering group work"
    assert entry.usage == 2


def test_search_filters_by_kind_category_and_usage(session, seed_document):
    for seed_id in SEED_IDS:
        seed_document(seed_id)
    found = search_library(session, "behaviour", kind="duty")
    assert found
    assert all(entry.clause.kind == "duty" for entry in found)
    assert all("behaviour" in entry.clause.text.lower() for entry in found)
    experience = search_library(session, kind="criterion", category="experience")
    assert experience
    assert all("experience" in entry.clause.category.lower() for entry in experience)
    assert search_library(session, min_usage=2) == []


def test_clusters_group_near_duplicates_across_documents(session, seed_document):
    for seed_id in ("000", "002", "003"):
        seed_document(seed_id)
    clusters = find_clusters(session, "duty")
    texts = [[member.clause.text for member in cluster.members] for cluster in clusters]
    assert any(text.startswith("Be aware of and comply") for cluster in texts for text in cluster)
    criteria = find_clusters(session, "criterion")
    assert not any(
        {TA, SEN_TA} <= {member.clause.text for member in cluster.members} for cluster in criteria
    )


def policies_cluster(session):
    return next(
        cluster
        for cluster in find_clusters(session, "duty")
        if cluster.canonical.text.startswith("Be aware of and comply")
    )


def test_merge_is_logged_and_never_rewrites_documents(session, seed_document):
    first = seed_document("000", approve=True)
    second = seed_document("002")
    before = [duty.text for duty in first.current.duties()]
    cluster = policies_cluster(session)
    canonical, variant = (member.clause for member in cluster.members)
    merge = merge_clauses(session, [variant.id], canonical.id)
    session.commit()
    assert variant.merged_into_id == canonical.id
    assert merge.score >= 90
    assert merge.merged_at is not None
    assert [member.clause_id for member in merge.members] == [variant.id]
    assert [duty.text for duty in first.current.duties()] == before
    assert first.current.status == "approved"
    assert variant.text in [duty.text for duty in second.current.duties()]
    assert all(cluster.canonical.id != canonical.id for cluster in find_clusters(session, "duty"))
    (entry,) = search_library(session, "comply with policies child protection", kind="duty")
    assert entry.clause == canonical
    assert entry.variants == [variant]
    assert entry.usage == 2


def test_undo_merge_restores_clauses_and_wording(session, create_user, seed_document):
    seed_document("000")
    seed_document("002")
    user = create_user()
    cluster = policies_cluster(session)
    canonical, variant = (member.clause for member in cluster.members)
    original = canonical.text
    merge = merge_clauses(
        session, [variant.id], canonical.id, canonical_text=variant.text, user=user
    )
    assert canonical.text == variant.text
    assert merge.merged_by_id == user.id
    undo_merge(session, merge.id, user=user)
    session.commit()
    assert canonical.text == original
    assert variant.merged_into_id is None
    assert merge.undone_at is not None
    assert policies_cluster(session).canonical.id == canonical.id
    with pytest.raises(Forbidden, match="already been undone"):
        undo_merge(session, merge.id)
    assert session.scalar(select(ClauseMerge).where(ClauseMerge.id == merge.id)) is merge


def test_merging_a_canonical_clause_moves_its_variants_and_undo_puts_them_back(session):
    from jdtool.services.clause_links import clauses_for_texts

    wordings = (
        "Keep accurate records of the progress the pupil makes towards their EHCP outcomes.",
        "Keep accurate records of the pupil's progress towards their EHCP outcomes.",
        "Keep careful and accurate records of the pupil's progress towards their EHCP outcomes.",
    )
    variant, middle, canonical = clauses_for_texts(
        session, [("duty", text, None) for text in wordings]
    )
    first = merge_clauses(session, [variant.id], middle.id)
    second = merge_clauses(session, [middle.id], canonical.id)
    assert (variant.merged_into_id, middle.merged_into_id) == (canonical.id, canonical.id)
    assert sorted(canonical.variants, key=lambda clause: clause.id) == [variant, middle]
    undo_merge(session, second.id)
    assert (variant.merged_into_id, middle.merged_into_id) == (middle.id, None)
    undo_merge(session, first.id)
    assert variant.merged_into_id is None


def test_merging_clauses_that_are_not_near_duplicates_is_refused(session, seed_document):
    seed_document("000")
    ta, sen_ta = (
        session.scalar(select(Clause).where(Clause.text == text)) for text in (TA, SEN_TA)
    )
    with pytest.raises(DomainError, match="not a near-duplicate"):
        merge_clauses(session, [sen_ta.id], ta.id)
    assert sen_ta.merged_into_id is None


# -- composing ----------------------------------------------------------------------------------


def test_adding_a_near_duplicate_warns_and_offers_the_existing_clause(session, seed_document):
    seed_document("000")
    draft = start_job_description(session, "1:1 SEN Teaching Assistant")
    policies = search_library(session, "comply with policies", kind="duty")[0].clause
    assert add_clause(session, draft.id, policies.id) == 1
    with pytest.raises(NearDuplicateInDocument) as warning:
        add_new_text(
            session,
            draft.id,
            "duty",
            "• Be aware of, and comply with, policies and procedures relating to child "
            "protection, health, safety and security, confidentiality and data protection, "
            "reporting all concerns to an appropriate person",
        )
    assert warning.value.position == 1
    assert warning.value.existing_text == policies.text
    assert "duty 1 already in the document" in str(warning.value)
    assert len(draft.current.duties()) == 1
    add_new_text(session, draft.id, "duty", "Escort the pupil to the school bus", force=True)
    assert len(draft.current.duties()) == 2


def test_composed_criteria_need_a_priority_and_keep_methods(session, seed_document):
    seed_document("000")
    draft = start_job_description(session, "1:1 SEN TA")
    clause = search_library(session, "SEN children as a TA", kind="criterion")[0].clause
    with pytest.raises(DomainError, match="essential or desirable"):
        add_clause(session, draft.id, clause.id)
    add_clause(
        session, draft.id, clause.id, priority="essential", methods=["application", "interview"]
    )
    (criterion,) = draft.current.criteria()
    assert (criterion.text, criterion.priority, criterion.methods) == (
        SEN_TA,
        "essential",
        ["application", "interview"],
    )
    assert draft.current.categories[0].name == "EXPERIENCE"


def test_approved_documents_cannot_be_composed_into(session, seed_document):
    job_description = seed_document("004", approve=True)
    with pytest.raises(Forbidden, match="approved and cannot change"):
        add_new_text(session, job_description.id, "duty", "Supervise lunchtimes")


def test_merge_two_job_descriptions_drops_duplicates_and_reports_them(session, seed_document):
    first = seed_document("000")
    second = seed_document("002")
    result = merge_job_descriptions(session, first.id, second.id, "Merged TA")
    duties = [duty.text for duty in result.job_description.current.duties()]
    assert len(duties) == len(set(duties))
    # 000 repeats two duties; 002 repeats 000's policies duty in other words
    assert len(duties) == 46 - 2 + 38 - 1
    dropped = [(item.kind, item.match.kind) for item in result.dropped]
    assert dropped.count(("duty", "exact")) == 2
    assert ("duty", "near") in dropped
    assert result.contained  # "…led by the teacher" inside "…or at social times"
    criteria = result.job_description.current.criteria()
    assert len(criteria) == 22 - 4 + 7
    assert {criterion.priority for criterion in criteria} == {"essential", "desirable", "unknown"}


def test_common_core_counts_documents_per_clause(session, seed_document):
    seed_document("000")
    seed_document("000")
    seed_document("001")
    core = common_core(session)
    assert core.document_count == 3
    assert core.clauses
    assert all(entry.usage >= 2 for entry in core.clauses)
    assert max(entry.usage for entry in core.clauses) == 2


# -- web pages (test client) --------------------------------------------------------------------


@pytest.fixture
def signed_in(client, create_user, seed_document):
    """A signed-in client with seeds 000 and 002 in the library."""
    from .test_web import sign_in

    create_user()
    seed_document("000")
    seed_document("002")
    sign_in(client)
    return client


def test_library_pages_need_sign_in(client):
    for url in ("/library", "/library/clusters", "/library/compose", "/library/jds/1/report"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]


def test_library_search_page_filters(signed_in):
    page = signed_in.get("/library?q=group+work&kind=criterion").get_data(as_text=True)
    assert "1 clause" in page
    assert "Experience of delivering group work" in page
    assert (
        signed_in.get("/library?q=group+work&kind=duty")
        .get_data(as_text=True)
        .count("Experience of delivering group work")
        == 0
    )


def test_refused_merge_is_explained_beside_the_choice(signed_in, session):
    from .test_web import csrf_token

    ta, sen_ta = (
        session.scalar(select(Clause).where(Clause.text == text)).id for text in (TA, SEN_TA)
    )
    url = f"/library/merge?clauses={ta}&clauses={sen_ta}"
    response = signed_in.post(
        url,
        data={
            "clauses": [ta, sen_ta],
            "canonical": ta,
            "canonical_text": TA,
            "csrf_token": csrf_token(signed_in, url),
        },
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'class="field-error"' in page
    assert "is not a near-duplicate of the other clauses chosen" in page
    assert session.scalars(select(ClauseMerge)).all() == []


def test_merge_two_jds_page_reports_what_was_left_out(signed_in):
    from .test_web import csrf_token

    response = signed_in.post(
        "/library/merge-jds",
        data={"first": 1, "second": 2, "title": "Merged", "csrf_token": csrf_token(
            signed_in, "/library/merge-jds")},
    )  # fmt: skip
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Created “Merged”" in page
    assert "7 duplicates left out" in page  # 000 repeats 2 duties and 4 criteria; 002 one duty
    same = signed_in.post(
        "/library/merge-jds",
        data={"first": 1, "second": 1, "csrf_token": csrf_token(signed_in, "/library/merge-jds")},
    )
    assert same.status_code == 400
    assert "Choose two different job descriptions." in same.get_data(as_text=True)


def test_clause_library_through_the_cli(cli):
    """Linking on import, duplicates, merge and undo, one command after another."""

    def jdtool(*args: str):
        result = cli(*args)
        assert result.exit_code == 0, result.output
        return result.output

    jdtool("import", str(seed_path("000")), str(seed_path("002")))
    # Seed 000 holds a template prompt, so it waits for review before joining the library.
    assert json.loads(jdtool("show", "1", "--json"))["needs_review"] is True
    assert "can be approved" in jdtool("accept", "1")
    pairs = json.loads(jdtool("duplicates", "1", "--json"))
    assert len(pairs) == 6
    clusters = json.loads(jdtool("library", "clusters", "--kind", "duty", "--json"))
    policies = next(
        cluster
        for cluster in clusters
        if any(clause["text"].startswith("Be aware") for clause in cluster["clauses"])
    )
    canonical, variant = (clause["id"] for clause in policies["clauses"])
    assert jdtool("library", "merge", str(canonical), str(variant)).startswith("Merge 1:")
    assert jdtool("library", "undo", "1").startswith("Undid merge 1")


def test_a_new_version_keeps_every_duty_and_criterion_linked_to_its_clause(session, seed_document):
    from jdtool.services.documents import start_new_version

    job_description = seed_document("000", approve=True)
    approved = job_description.current
    draft = start_new_version(session, job_description.id)
    session.commit()
    assert [duty.clause_id for duty in draft.duties()] == [
        duty.clause_id for duty in approved.duties()
    ]
    assert [criterion.clause_id for criterion in draft.criteria()] == [
        criterion.clause_id for criterion in approved.criteria()
    ]
    assert all(duty.clause_id for duty in draft.duties())
    assert all(criterion.clause_id for criterion in draft.criteria())


def test_merge_page_keeps_the_wording_chosen_when_no_new_wording_is_written(signed_in, session):
    from .test_web import csrf_token

    canonical, variant = (member.clause for member in policies_cluster(session).members)
    chosen_text = variant.text
    url = f"/library/merge?clauses={canonical.id}&clauses={variant.id}"
    response = signed_in.post(
        url,
        data={
            "clauses": [canonical.id, variant.id],
            "canonical": variant.id,
            "canonical_text": "",
            "csrf_token": csrf_token(signed_in, url),
        },
    )
    assert response.status_code == 302
    session.expire_all()
    assert session.get(Clause, variant.id).text == chosen_text
    assert session.get(Clause, canonical.id).merged_into_id == variant.id
