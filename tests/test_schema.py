from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from ml.schema import (
    Education,
    Experience,
    ParsedResume,
    Project,
    from_json_resume,
    parsed_resume_json_schema,
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
