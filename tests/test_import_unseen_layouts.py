"""Documents written the way schools we have not seen write them (our own wording): each comes
out right, or says where it is unsure."""

from __future__ import annotations

import io

import docx

from jdtool.importing import read_document

ADVERT_STYLE = """\
Oakfield Primary Academy
ROLE PROFILE: Learning Support Assistant (SEND)

Grade: Scale 4, SCP 5-6
Salary: £23,500 - £24,000 FTE (actual £19,200 - £19,600)
Hours: 32.5 hours per week, 39 weeks per year
Responsible to: SENCo

About the role
The post holder will work under the direction of the SENCo to support pupils with EHC plans.

What you'll do
- Support a named pupil with an EHC plan in lessons and at unstructured times
- Deliver agreed interventions and record progress
- Help with personal care where needed

What you'll bring
- Experience of working with children with SEND
- Good communication skills
- Ability to follow a behaviour plan calmly

Person Specification
Criteria | Essential | Desirable | Assessed by
NVQ Level 3 Teaching Assistant | | ✓ | Application
Experience of supporting pupils with autism | ✓ | | Application, Interview

We are committed to safeguarding and promoting the welfare of children.
"""


def test_a_profile_with_headings_nobody_listed_reads_right_and_says_what_it_guessed():
    document = read_document("profile.txt", ADVERT_STYLE.encode())
    assert document.title == "Learning Support Assistant (SEND)"
    assert document.school == "Oakfield Primary Academy"
    assert (document.salary.min, document.salary.max, document.salary.basis) == (
        23500,
        24000,
        "fte",
    )
    assert (document.hours_per_week, document.weeks_per_year) == (32.5, 39)
    assert document.purpose.startswith("The post holder will work under the direction")
    assert [s.heading for s in document.sections] == ["What you'll do"]
    assert len(document.duties()) == 3
    spec = document.person_spec
    assert [c.name for c in spec.categories] == ["What you'll bring", "Person specification"]
    assert [c.priority for c in spec.categories[0].criteria] == [None, None, None]
    assert [(c.priority, c.methods) for c in spec.categories[1].criteria] == [
        ("desirable", ["application"]),
        ("essential", ["application", "interview"]),
    ]
    assert document.statements == [
        "We are committed to safeguarding and promoting the welfare of children."
    ]
    # Both unnamed sections were typed by what is under them, and the import says so.
    sources = {finding.source for finding in document.findings if finding.matters}
    assert sources == {"What you'll do", "What you'll bring"}
    assert document.needs_review is True


def test_a_word_file_with_heading_styles_and_a_typo_reads_right():
    word = docx.Document()
    word.add_heading("Riverside Federation", 0)
    word.add_paragraph("Job title: Teaching Assistant Level 2")
    word.add_paragraph("Grade: NJC Grade 4")
    word.add_heading("Overall aim of the role", 1)
    word.add_paragraph("To support teaching and learning for pupils with additional needs.")
    word.add_heading("Principal Accountabilites", 1)
    for text in ("Support pupils' learning in class", "Prepare and tidy resources"):
        word.add_paragraph(text, style="List Bullet")
    word.add_heading("Working with others", 2)
    for text in ("Share information with the class teacher", "Attend training as required"):
        word.add_paragraph(text, style="List Number")
    word.add_heading("Person Specification", 1)
    table = word.add_table(rows=3, cols=3)
    rows = [
        ("Requirement", "Essential / Desirable", "How assessed"),
        ("GCSE English and maths grade 4", "E", "Certificates"),
        ("Experience with SEND", "D", "Application / Interview"),
    ]
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    data = io.BytesIO()
    word.save(data)

    document = read_document("ta.docx", data.getvalue())
    assert document.title == "Teaching Assistant Level 2"
    assert document.organisation == "Riverside Federation"
    assert document.purpose == "To support teaching and learning for pupils with additional needs."
    assert [(s.heading, len(s.duties)) for s in document.sections] == [
        ("Principal Accountabilites", 2),
        ("Working with others", 2),
    ]
    assert [(c.priority, c.methods) for c in document.criteria()] == [
        ("essential", ["certificates"]),
        ("desirable", ["application", "interview"]),
    ]
    assert document.findings == []
    assert None not in document.placements


def test_essential_and_desirable_lines_under_each_category_set_priorities_for_that_category():
    text = (
        "Teaching Assistant - Person Specification\n\n"
        "Qualifications\nEssential:\n• GCSE English and maths\n• Level 2 TA qualification\n"
        "Desirable:\n• Level 3 TA qualification\n\n"
        "Experience\n• Experience of working with children\n\n"
        "Key: A = Application, I = Interview, R = References\n"
    )
    document = read_document("spec.txt", text.encode())
    assert document.title == "Teaching Assistant"
    assert [
        (category.name, [(c.text, c.priority) for c in category.criteria])
        for category in document.person_spec.categories
    ] == [
        (
            "Qualifications",
            [
                ("GCSE English and maths", "essential"),
                ("Level 2 TA qualification", "essential"),
                ("Level 3 TA qualification", "desirable"),
            ],
        ),
        # The next category says nothing about priority: it stays unknown, not "desirable".
        ("Experience", [("Experience of working with children", None)]),
    ]
    assert document.placements[-1] == "ignored: the key to the assessment-method letters"


def test_a_plain_job_description_with_unbulleted_duties_needs_no_review():
    text = (
        "JOB DESCRIPTION\n\n"
        "Post:\t\tMidday Supervisor\nSchool:\t\tSt Anne's CE Primary School\n"
        "Grade:\t\tGrade 2\nHours:\t\t7.5 hours per week, term time only\n\n"
        "Main Duties:\n"
        "Supervise pupils in the dining hall and playground.\n"
        "Administer basic first aid and record incidents.\n"
        "Report any concerns to the senior midday supervisor.\n\n"
        "This job description will be reviewed annually.\n\n"
        "Signed (Postholder): ................ Date: .........\n"
        "Signed (Headteacher): ............... Date: .........\n"
    )
    document = read_document("jd.txt", text.encode())
    assert (document.title, document.school, document.grade, document.hours_per_week) == (
        "Midday Supervisor",
        "St Anne's CE Primary School",
        "Grade 2",
        7.5,
    )
    assert [(s.heading, len(s.duties)) for s in document.sections] == [("Main Duties", 3)]
    assert document.statements == ["This job description will be reviewed annually."]
    assert document.signatories == ["Postholder", "Headteacher"]
    assert document.needs_review is False


def test_hourly_pay_keeps_its_pence():
    text = (
        "Job Description: Early Years Practitioner\n"
        "Salary: Band C, £11.59 - £12.10 per hour\n\n"
        "Key Responsibilities:\n1) Plan activities.\n2) Observe and assess children.\n"
    )
    document = read_document("eyp.txt", text.encode())
    assert (document.salary.min, document.salary.max, document.salary.basis) == (
        11.59,
        12.10,
        "hourly",
    )
    assert document.grade == "Band C"


def test_evaluation_headings_after_listed_duties_are_extra_sections_not_duties():
    text = (
        "Anytown Borough Council\nJob Description\n\n"
        "Job Title: School Business Manager\nGrade: PO1\nResponsible to: Headteacher\n\n"
        "Main Purpose of Job\nTo lead the school's finance, HR and premises functions.\n\n"
        "Main Duties and Responsibilities\n"
        "1. Prepare the annual budget and monitor spending.\n"
        "2. Manage the school office team.\n\n"
        "Supervision / Management of People\nLine manages 4 office staff.\n\n"
        "Contacts and Relationships\nGovernors, parents and suppliers.\n\n"
        "Decisions – discretion and consequences\nMakes purchasing decisions.\n\n"
        "Work Environment\nOffice based.\n"
    )
    document = read_document("sbm.txt", text.encode())
    assert document.duties() == [
        "Prepare the annual budget and monitor spending.",
        "Manage the school office team.",
    ]
    assert [(extra.heading, extra.paragraphs) for extra in document.extra_sections] == [
        ("Supervision / Management of People", ["Line manages 4 office staff."]),
        ("Contacts and Relationships", ["Governors, parents and suppliers."]),
        ("Decisions – discretion and consequences", ["Makes purchasing decisions."]),
        ("Work Environment", ["Office based."]),
    ]


FIXED_WIDTH_SPEC = """\
JOB DESCRIPTION
Job Title:     Teaching Assistant (Level 1)

Key Tasks
a) Support pupils with reading and phonics.
b) Prepare classroom resources.

PERSON SPECIFICATION
Criteria                                     Essential   Desirable   Method
Qualifications
GCSE maths and English                       X                       A
NVQ Level 3                                              X           A
Ability to relate well to children and       X                       I, R
  to adults
"""


def test_a_person_spec_table_laid_out_in_fixed_width_text_is_read_by_its_columns():
    document = read_document("ta.txt", FIXED_WIDTH_SPEC.encode())
    assert [category.name for category in document.person_spec.categories] == ["Qualifications"]
    assert [(c.text, c.priority, c.methods) for c in document.criteria()] == [
        ("GCSE maths and English", "essential", ["application"]),
        ("NVQ Level 3", "desirable", ["application"]),
        (
            "Ability to relate well to children and to adults",
            "essential",
            ["interview", "references"],
        ),
    ]
    assert len(document.duties()) == 2


def test_a_job_board_advert_keeps_the_schools_words_out_of_the_duties():
    text = (
        "Teaching Assistant - SEN (1:1)\nMeadow Lane Primary School, Leeds\n\n"
        "Salary: £12,500 - £13,200 per annum (actual)\n"
        "Contract: Fixed term until 31 July 2027\nHours: 27.5 hours per week, term time\n\n"
        "About Us\nMeadow Lane is a friendly two-form entry primary school.\n\n"
        "About the Role\nWe are looking for a caring Teaching Assistant to support a pupil.\n\n"
        "Key Responsibilities\n• Support the pupil's learning\n• Implement the EHC plan\n\n"
        "The ideal candidate will have\n• Experience of supporting children with SEND\n"
        "• A calm and patient approach\n• Good literacy and numeracy skills\n\n"
        "What we offer\n• A supportive staff team\n• Access to training\n\n"
        "How to apply\nPlease complete the application form.\n"
    )
    document = read_document("advert.txt", text.encode())
    assert (document.title, document.school, document.location) == (
        "Teaching Assistant - SEN (1:1)",
        "Meadow Lane Primary School",
        "Leeds",
    )
    assert (document.salary.basis, document.contract_end) == ("actual", "2027-07-31")
    assert document.purpose == "We are looking for a caring Teaching Assistant to support a pupil."
    assert document.duties() == ["Support the pupil's learning", "Implement the EHC plan"]
    assert [c.text for c in document.criteria()] == [
        "Experience of supporting children with SEND",
        "A calm and patient approach",
        "Good literacy and numeracy skills",
    ]
    assert [extra.heading for extra in document.extra_sections] == [
        "About Us",
        "What we offer",
        "How to apply",
    ]
    assert document.needs_review is True  # the requirements were typed by their content


def test_pay_in_words_is_not_a_grade_hours_must_be_weekly_and_reports_to_in_a_sentence():
    text = (
        "Job title: Midday Assistant\n"
        "Salary: To be discussed at interview\n"
        "Hours: 2.5 hours at lunchtime, five days a week\n"
        "The post holder will report to the Senior Midday Supervisor.\n\n"
        "Main duties\n1. Supervise pupils at lunch.\n2. Tidy the hall.\n"
    )
    document = read_document("mda.txt", text.encode())
    assert document.grade is None
    assert document.salary.text == "To be discussed at interview"
    assert document.salary.min is None
    assert document.hours_per_week is None
    assert document.reports_to == "Senior Midday Supervisor"
    coded = read_document("mda.txt", text.replace("To be discussed at interview", "APLb").encode())
    assert coded.grade == "APLb"


def test_a_line_set_in_larger_type_heads_the_list_under_it():
    from docx.shared import Pt

    word = docx.Document()
    word.add_paragraph("Job title: Caretaker")
    word.add_paragraph().add_run("Things you will do").font.size = Pt(16)
    for text in ("Open and lock the building", "Carry out small repairs"):
        word.add_paragraph(text, style="List Bullet")
    data = io.BytesIO()
    word.save(data)
    document = read_document("caretaker.docx", data.getvalue())
    assert [(s.heading, len(s.duties)) for s in document.sections] == [("Things you will do", 2)]
    assert [f.source for f in document.findings] == ["Things you will do"]


def _word(build) -> bytes:
    word = docx.Document()
    build(word)
    data = io.BytesIO()
    word.save(data)
    return data.getvalue()


def test_a_criteria_cell_merged_across_two_columns_keeps_the_person_spec():
    def build(word):
        word.add_paragraph("Person specification")
        table = word.add_table(rows=3, cols=4)
        table.cell(0, 0).merge(table.cell(0, 1)).text = "Criteria"
        table.cell(0, 2).text, table.cell(0, 3).text = "E", "D"
        for row, (text, essential, desirable) in enumerate(
            [("Good literacy", "X", ""), ("First aid", "", "X")], start=1
        ):
            table.cell(row, 0).merge(table.cell(row, 1)).text = text
            table.cell(row, 2).text, table.cell(row, 3).text = essential, desirable

    document = read_document("spec.docx", _word(build))
    assert [(c.text, c.priority) for c in document.criteria()] == [
        ("Good literacy", "essential"),
        ("First aid", "desirable"),
    ]


def test_numbers_word_never_wrote_are_refused_or_ignored_never_a_crash():
    """Attribute values with digits Python reads as digits but int() refuses ("²")."""

    def build(word):
        word.add_paragraph("Job title: Teaching Assistant")
        word.add_paragraph("Main duties")
        for text in ("Support pupils in class", "Keep records"):
            paragraph = word.add_paragraph(text, style="List Bullet")
            properties = paragraph._p.get_or_add_pPr()
            outline = properties.makeelement(docx.oxml.ns.qn("w:outlineLvl"))
            outline.set(docx.oxml.ns.qn("w:val"), "²")
            properties.append(outline)
            size = paragraph.runs[0]._r.get_or_add_rPr().makeelement(docx.oxml.ns.qn("w:sz"))
            size.set(docx.oxml.ns.qn("w:val"), "²")
            paragraph.runs[0]._r.get_or_add_rPr().append(size)

    document = read_document("ta.docx", _word(build))
    assert document.duties() == ["Support pupils in class", "Keep records"]


def test_lines_that_only_look_like_keys_or_headings_stay_what_they_are():
    text = (
        "Job title: Teaching Assistant\n\n"
        "Main duties\n"
        "• Support pupils with SEN – Speech and language needs or ASD – Autism\n"
        "• Keep records\n\n"
        "Person specification\n"
        "Qualifications\n"
        "• QTS\n• GCSE\n"
        "• Experience of SEN – Special Educational Needs and EAL – English as an additional "
        "language\n"
    )
    document = read_document("ta.txt", text.encode())
    assert document.duties()[0].startswith("Support pupils with SEN – Speech")
    assert [c.text for c in document.criteria()] == [
        "QTS",
        "GCSE",
        "Experience of SEN – Special Educational Needs and EAL – English as an additional language",
    ]
    assert [c.name for c in document.person_spec.categories] == ["Qualifications"]


def test_a_title_repeated_at_the_top_of_a_page_does_not_restart_the_document():
    text = (
        "Teaching Assistant Job Description\n"
        "Main duties\n1. Support pupils.\n2. Keep records.\n\n"
        "Person specification\n"
        "Skills\n• Good literacy\n\n"
        "Teaching Assistant Job Description\n\n"
        "• First aid\n"
    )
    document = read_document("ta.txt", text.encode())
    assert [c.text for c in document.criteria()] == ["Good literacy", "First aid"]
    assert document.title == "Teaching Assistant"


def test_the_schools_aims_are_not_the_job_purpose_and_selection_criteria_are_a_person_spec():
    text = (
        "Job title: Teaching Assistant\n\n"
        "Our Aims\nEvery child flourishes.\n\n"
        "Job purpose\nTo support pupils' learning.\n\n"
        "Main duties\n1. Support pupils.\n2. Keep records.\n\n"
        "Selection criteria\n"
        "• Experience of working with children\n• Good literacy\n\n"
        "Literacy: hear pupils read daily\n"
    )
    document = read_document("ta.txt", text.encode())
    assert document.purpose == "To support pupils' learning."
    assert [extra.heading for extra in document.extra_sections][:1] == ["Our Aims"]
    assert [c.text for c in document.criteria()][:2] == [
        "Experience of working with children",
        "Good literacy",
    ]
