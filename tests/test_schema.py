from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from ml.schema import (
    MONTH_NAMES,
    PRESENT_WORDS,
    Education,
    Experience,
    ParsedResume,
    Project,
    document_skills,
    from_json_resume,
    infer_day_first,
    normalize_date,
    parsed_resume_json_schema,
    skills_are_named,
    to_json_resume,
)


def realistic_resume() -> ParsedResume:
    return ParsedResume(
        name="Inès Gómez-Müller",
        email="ines.gomez@example.org",
        phone="+34 612 345 678",
        location="Barcelona, Catalonia",
        links=["https://www.linkedin.com/in/inesgm", "https://github.com/inesgm", "https://inesgm.dev"],
        summary="Data engineer with 8 years building batch and streaming pipelines.",
        experience=[
            Experience(
                company="Glovo",
                title="Senior Data Engineer",
                start_date="2021-03",
                end_date="present",
                location="Barcelona",
                highlights=["Cut Spark job cost 35% by moving to Iceberg", "Led a team of 4"],
            ),
            Experience(company="Accenture", title="Data Engineer", start_date="2016", end_date="2021-02"),
        ],
        education=[
            Education(
                institution="Universitat Politècnica de Catalunya",
                degree="MSc",
                field="Computer Science",
                start_date="2014",
                end_date="2016",
                gpa="8.7/10",
            )
        ],
        projects=[
            Project(name="dbt-iceberg", description="An open-source dbt adapter", technologies=["Python", "dbt"])
        ],
        skills=["Python", "SQL", "Spark", "Kafka", "Airflow"],
        certifications=["AWS Certified Data Analytics"],
        languages=["Spanish", "English", "German"],
    )


def test_json_resume_round_trip_keeps_every_field() -> None:
    resume = realistic_resume()
    converted = to_json_resume(resume)
    assert converted["basics"]["location"] == {"city": "Barcelona", "region": "Catalonia"}
    assert converted["basics"]["profiles"][0]["network"] == "LinkedIn"
    assert "endDate" not in converted["work"][0]  # JSON Resume marks an ongoing job by omitting endDate
    assert from_json_resume(json.loads(json.dumps(converted))) == resume


def test_from_json_resume_takes_skill_keywords_not_group_names() -> None:
    parsed = from_json_resume(
        {
            "skills": [{"name": "Web", "keywords": ["HTML", "CSS"]}, {"name": "Go"}],
            "work": [{"startDate": "2020-01-15"}],
        }
    )
    assert parsed.skills == ["HTML", "CSS", "Go"]
    assert parsed.experience[0].start_date == "2020-01"
    assert parsed.experience[0].end_date == "present"


def test_skill_groups_that_each_name_a_skill_and_tag_it_count_their_names() -> None:
    """ "HTML: Web, Frontend / CSS: Web, Frontend": the names are the skills a reader lists, the tags come along."""
    named = [
        {"name": "HTML", "keywords": ["Web", "Frontend"]},
        {"name": "CSS", "keywords": ["Web", "Frontend", "Responsive"]},
        {"name": "Git", "keywords": ["Versioning", "Git"]},
        {"name": "GitHub", "keywords": ["Git", "Versioning"]},
        {"name": "Node"},
    ]
    assert skills_are_named(named)
    assert document_skills(named) == [
        "HTML",
        "Web",
        "Frontend",
        "CSS",
        "Responsive",
        "Git",
        "Versioning",
        "GitHub",
        "Node",
    ]
    assert from_json_resume({"skills": named}).skills == document_skills(named)
    labels = [  # labels whose lists share one item are still labels (a real document lists C# twice)
        {"name": ".NET", "keywords": ["C#", "ASP.NET"]},
        {"name": "Languages", "keywords": ["C#", "Python"]},
        {"name": "Cloud", "keywords": ["Azure", "AWS"]},
        {"name": "Testing", "keywords": ["xUnit"]},
    ]
    assert not skills_are_named(labels)
    assert document_skills(labels) == ["C#", "ASP.NET", "Python", "Azure", "AWS", "xUnit"]
    assert not skills_are_named(named[:2])  # two groups sharing tags are too few to tell
    shared_once = [  # labels whose lists share one item, however often
        {"name": "Frontend", "keywords": ["JavaScript", "TypeScript", "React"]},
        {"name": "Backend", "keywords": ["JavaScript", "Node.js", "SQL"]},
        {"name": "Mobile", "keywords": ["JavaScript", "React Native"]},
    ]
    assert not skills_are_named(shared_once)
    soft = [
        *named[:4],
        {"name": "Soft Skills", "keywords": ["Teamwork", "Web"]},
        {"category": "Other", "names": ["Jira"]},
    ]
    assert (
        skills_are_named(soft) and "Soft Skills" not in document_skills(soft) and "Other" not in document_skills(soft)
    )
    assert not skills_are_named("HTML, CSS") and document_skills("HTML, CSS") == []


def test_key_order_puts_long_lists_after_structured_sections() -> None:
    keys = list(json.loads(realistic_resume().to_json()))
    assert keys.index("skills") > keys.index("experience") > keys.index("summary")
    assert keys.index("skills") > keys.index("education")
    assert list(parsed_resume_json_schema()["properties"]) == keys


@pytest.mark.parametrize("date", ["March 2021", "2021-13", "03/2021", "Present", "21"])
def test_dates_outside_the_contract_are_rejected(date: str) -> None:
    with pytest.raises(ValidationError):
        Experience(start_date=date)


def test_unknown_keys_are_rejected() -> None:
    with pytest.raises(ValidationError):
        ParsedResume.model_validate({"name": "A", "hobbies": ["chess"]})


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2021-8-01", "2021-08"),
        ("2021-012-01", "2021-12"),
        ("2009-01-013", "2009-01"),
        ("2021-03-01T00:00:00Z", "2021-03"),
        ("Feb'24", "2024-02"),
        ("Mar '21", "2021-03"),
        ("'16", "2016"),
        ("'87", "1987"),
        ("Noviembre 2021", "2021-11"),
        ("marzo de 2021", "2021-03"),
        ("févr. 2020", "2020-02"),
        ("août 2019", "2019-08"),
        ("März 2018", "2018-03"),
        ("Okt. 2017", "2017-10"),
        ("setembro de 2016", "2016-09"),
        ("Apr. 2024", "2024-04"),
        ("15 March 2021", "2021-03"),
        ("March 15, 2021", "2021-03"),
        ("03/2021", "2021-03"),
        ("31/01/24", "2024-01"),
        ("2021年3月", "2021-03"),
        ("Fall 2019", "2019"),
        (2019, "2019"),
        ("Present", "present"),
        ("Actualidad", "present"),
        ("aujourd'hui", "present"),
        ("bis heute", "present"),
        ("至今", "present"),
        ("01/02/24", "2024"),  # day or month first? only the year is known
        ("2017-05 - 2019-04, 2025-02", None),  # a list of periods is not one date
        ("1-", None),
        ("Kinsol 2019", None),
        ("", None),
        ("2021-13", "2021"),
    ],
)
def test_free_form_dates_normalise_without_inventing(raw, expected) -> None:
    assert normalize_date(raw) == expected


def test_the_document_tells_day_or_month_first() -> None:
    assert normalize_date("01/02/24", day_first=True) == "2024-02"
    assert normalize_date("01/02/24", day_first=False) == "2024-01"
    assert infer_day_first(["01/02/24", "31/01/24"]) is True
    assert infer_day_first(["01/02/24", "12/31/24"]) is False
    assert infer_day_first(["01/02/24", "31/01/24", "12/31/24"]) is None


@pytest.mark.parametrize("language", sorted(MONTH_NAMES))
def test_every_month_name_reads_back(language: str) -> None:
    full, short = MONTH_NAMES[language]
    for month, (a, b) in enumerate(zip(full, short, strict=True), start=1):
        assert normalize_date(f"{a} 2020") == normalize_date(f"{b} 2020") == f"2020-{month:02d}"
        assert normalize_date(f"{a.upper()} DE 2020") == f"2020-{month:02d}"
    for word in PRESENT_WORDS[language]:
        assert normalize_date(word) == "present"


def test_from_json_resume_reads_old_keys_and_free_forms() -> None:
    parsed = from_json_resume(
        {
            "basics": {
                "name": " Ana  Lima ",
                "phone": 34612345678,
                "website": {"url": "https://ana.example.org"},
                "summary": ["Backend developer.", "Likes <strong>Go</strong>."],
                "location": {"city": "Porto", "countryCode": "Portugal"},
                "profiles": [{"network": "GitHub", "url": "https://github.com/ana"}, {"network": "X"}],
            },
            "work": [
                {"company": "Acme", "position": "Dev", "startDate": "2022", "endDate": "2019", "summary": "Built APIs"},
                {"name": "Initech", "position": "Lead", "startDate": "Feb'24", "isCurrentRole": True,
                 "responsibilities": ["Led 4"], "highlights": ["Led 4", ""]},
                {"name": "Hidden Co", "position": "X", "hide": True},
                {"name": "Odd", "position": "Y", "startDate": "2020-01", "endDate": "1-"},
            ],
            "education": [
                {"institution": "UP", "studyType": "BSc", "score": "cum laude", "startDate": "2014"},
                {"institution": "UM", "degree": "MSc", "gpa": 3.9, "startDate": "2018", "endDate": "-"},
            ],
            "skills": [{"category": "Languages", "names": ["Go", "Python"]}, {"name": "Go"}, "Docker"],
            "certifications": [{"name": "CKA"}, {"name": "CKA"}],
            "languages": [{"name": "Português", "level": "Nativo"}, {"language": ""}],
            "projects": [{"name": "griller", "description": ["A", "CLI"], "technologies": ["Python"]}],
        }
    )  # fmt: skip
    assert (parsed.name, parsed.phone, parsed.location) == ("Ana Lima", "34612345678", "Porto, Portugal")
    assert parsed.links == ["https://ana.example.org", "https://github.com/ana"]
    assert parsed.summary == "Backend developer. Likes Go."
    acme, initech, odd = parsed.experience  # the hidden job is not shown, so not in the truth
    assert (acme.company, acme.start_date, acme.end_date, acme.highlights) == ("Acme", "2019", "2022", ["Built APIs"])
    assert (initech.start_date, initech.end_date, initech.highlights) == ("2024-02", "present", ["Led 4"])
    assert (odd.start_date, odd.end_date) == ("2020-01", None)  # an unreadable end is unknown, not "present"
    assert [(e.degree, e.gpa, e.end_date) for e in parsed.education] == [("BSc", None, "present"), ("MSc", "3.9", None)]
    assert parsed.skills == ["Go", "Python", "Docker"]
    assert (parsed.certifications, parsed.languages) == (["CKA"], ["Português"])
    assert parsed.projects[0].description == "A CLI"
