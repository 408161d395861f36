from __future__ import annotations

from ml import tasks
from ml.schema import Experience, ParsedResume
from ml.topics import choose_topic, question_topics, topic_of_question, words_from_topic
from tests.test_schema import realistic_resume


def test_each_highlight_project_and_degree_is_a_topic_with_its_role() -> None:
    topics = question_topics(realistic_resume())
    assert topics[0] == (
        "Role: Senior Data Engineer at Glovo (2021-03 - present)\n"
        "Before: Data Engineer at Accenture\n"
        "Work: Cut Spark job cost 35% by moving to Iceberg"
    )
    assert topics[1].endswith("Work: Led a team of 4")
    assert topics[2] == "Role: Data Engineer at Accenture (2016 - 2021-02)"  # no highlights: the role itself
    assert topics[3] == "Project: dbt-iceberg (Python, dbt)\nWork: An open-source dbt adapter"
    assert topics[4] == "Studies: MSc in Computer Science at Universitat Politècnica de Catalunya (2016)"
    assert len(topics) == 5


def test_a_move_inside_one_employer_is_never_shown_as_a_move() -> None:
    resume = ParsedResume(
        experience=[
            Experience(company="SlashDB", title="Lead Engineer", highlights=["Designed the REST API"]),
            Experience(company="SlashDB", title="Engineer", highlights=["Wrote the SQL layer"]),
        ]
    )
    assert not any("Before:" in topic for topic in question_topics(resume))


def test_the_same_resume_gets_the_same_topic_and_other_seeds_reach_the_others() -> None:
    resume = realistic_resume()
    assert choose_topic(resume) == choose_topic(resume.model_copy(deep=True))
    drawn = {choose_topic(resume, seed) for seed in range(200)}
    assert drawn == set(question_topics(resume))


def test_a_written_question_gets_the_topic_it_asks_about() -> None:
    resume = realistic_resume()
    topic = topic_of_question(resume, "What made Iceberg cheaper to run than your old Spark tables?")
    assert topic is not None and topic.endswith("Work: Cut Spark job cost 35% by moving to Iceberg")
    assert topic_of_question(resume, "How did you keep that team of 4 aligned?").endswith("Led a team of 4")
    assert "Studies:" in topic_of_question(resume, "What from your Computer Science degree do you still use?")
    assert topic_of_question(resume, "Why?") is None


def test_a_question_is_about_its_part_when_it_repeats_the_parts_own_words() -> None:
    topic = question_topics(realistic_resume())[0]  # Glovo, before it Accenture, the Iceberg highlight
    assert words_from_topic("What made Iceberg cheaper than your Spark tables?", topic, "technical") == {
        "iceberg",
        "spark",
    }
    # a technical question about the role alone, or about nothing of the part, is not about its work
    assert not words_from_topic("Which tools did you use most as a Senior Data Engineer at Glovo?", topic, "technical")
    assert not words_from_topic("When working on a project, how did you know a number was right?", topic, "technical")
    # an HR question may be about the move or the role
    assert words_from_topic("What made you leave Accenture for Glovo?", topic, "hr") == {"accentur", "glovo"}
    # the labels and the period are no words of the part
    assert not words_from_topic("What would you do differently before you present results?", topic, "hr")
    role_only = question_topics(realistic_resume())[2]  # Accenture, no highlights: its role is all there is
    assert words_from_topic("What did a Data Engineer at Accenture own?", role_only, "technical")


def test_raw_text_offers_its_lines_of_work() -> None:
    text = "Ana Ruiz\nNurse\n- Triaged 40 patients a shift in a busy emergency unit\nSkills: care"
    assert question_topics(text) == ["Work: Triaged 40 patients a shift in a busy emergency unit"]


def test_the_question_prompt_carries_one_topic_not_the_whole_resume() -> None:
    resume = realistic_resume()
    prompt = tasks.interview_question_input(resume, "technical", seed=3)
    assert prompt.startswith("Ask a technical question") and "Tone: technical\nAbout:\n" in prompt
    assert prompt.endswith(choose_topic(resume, 3, "technical"))
    assert "AWS Certified" not in prompt and "Skills:" not in prompt
    empty = ParsedResume(name="Ana Ruiz", skills=["Python"])
    assert tasks.interview_question_input(empty, "hr").endswith("Resume:\nName: Ana Ruiz\nSkills: Python")
