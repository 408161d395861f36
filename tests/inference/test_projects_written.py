"""Projects read as the resume writes them: blocks of a name, a description and list items (issue #29.4,
ml/inference/projects_written)."""

from __future__ import annotations

from ml.inference.grounding import ground
from ml.inference.projects_written import projects_by_blocks
from ml.schema import ParsedResume, Project

THEME_BLOCKS = """Ana Lima

Open Source Projects

Job Finder ∙ https://jobfinder.example.org/
Plataforma web que ayuda a buscar ofertas de trabajo según criterios específicos.

• Búsqueda personalizada
• Next.js

Evaluating ChatGPT for Scientific Writing ∙
https://repositori.example.edu/handle/59586/paper.pdf?
sequence=1&isAllowed=y
Research paper published in MERE 2023 on readability.

• Readability metrics

Data Analysis of Gas-Filled Detectors ∙ Include link to the published paper or
project repository if available
A research paper detailing a digital pulse analysis methodology.

Education
Universitat de Barcelona 2017 - 2021
"""


def _read(projects: list[Project], text: str) -> list[tuple[str | None, str | None, list[str]]]:
    grounded = ground(ParsedResume(projects=projects), text).resume.projects
    return [(p.name, p.description, p.technologies) for p in grounded]


def test_a_themes_project_blocks_are_read_as_written() -> None:
    parsed = [
        Project(name="Job Finder", description="Plataforma web", technologies=["Next.js"]),
        Project(name="Next.js", description="Next.js"),  # a keyword of a block read as a project
        Project(name="Finder", description="Job Finder"),  # a name cut at its start
    ]
    assert _read(parsed, THEME_BLOCKS) == [
        (
            "Job Finder",
            "Plataforma web que ayuda a buscar ofertas de trabajo según criterios específicos.",
            ["Next.js"],  # the model's technologies of a project it named
        ),
        ("Evaluating ChatGPT for Scientific Writing", "Research paper published in MERE 2023 on readability.", []),
        (
            "Data Analysis of Gas-Filled Detectors",
            "A research paper detailing a digital pulse analysis methodology.",
            [],
        ),
    ]


def test_a_link_line_between_a_name_and_its_description_and_names_alone_are_read() -> None:
    linked = "Projects\nPayli\nhttps://payli.example.com/\nPayli agiliza las transacciones.\n• Co-Founder\n"
    linked += "Medatry\nhttps://medatry.example.com/\nSoftware médico para doctores\n"
    assert [p[:2] for p in _read([], linked)] == [
        ("Payli", "Payli agiliza las transacciones."),
        ("Medatry", "Software médico para doctores"),  # a short description, read as the line after its name
    ]
    names = "Projects\nRaft Consensus Prototype\nChatBot with LSTM and CBOW\nWeb Search Personalization\n\nSkills\n"
    assert [p[:2] for p in _read([], names)] == [
        ("Raft Consensus Prototype", None),
        ("ChatBot with LSTM and CBOW", None),
        ("Web Search Personalization", None),  # three names or more, each in title case
    ]


def test_sections_whose_blocks_a_reader_could_take_two_ways_are_left_to_the_model() -> None:
    parsed = [Project(name="Griller", description="A parser")]
    with_roles = "Projects\nGriller\nLead developer\nA resume parser for recruiters.\nBeta\nMaintainer\nA CLI.\n"
    dated = "Projects\nGriller\nA resume parser for recruiters.\nBeta  2020 - 2021\nA CLI.\n"
    one = "Projects\nGriller\nA resume parser for recruiters.\n"
    shop = "Projects\nShop\nA store in Django Rest Framework\nBeta\nA CLI in Go\n"  # names, or names and descriptions
    one_a_line = "Projects\nGriller — A resume parser.\nBeta — A CLI.\nSKILLS: Python\n"
    for text in (with_roles, dated, one, shop):
        dropped: list[str] = []
        assert projects_by_blocks([p.model_dump() for p in parsed], text, dropped) == [parsed[0].model_dump()]
        assert not dropped
    assert projects_by_blocks([], one_a_line, []) == []  # the one-a-line form is projects_as_written's


def _section(*lines: str) -> str:
    return "\n".join(["Jane Doe", "", "PROJECTS", *lines, "", "EDUCATION", "BSc Computer Science, MIT  2015 - 2019"])


def test_the_models_correct_reading_of_look_alike_sections_is_kept() -> None:
    """A review's cases: a stack line under each name, groups over their points, sentences one a line that the
    model read as nameless descriptions, a role or a note after the name, a description in title case."""
    cases = [
        (
            _section("Inventory Tracker", "Python, Flask, PostgreSQL", "Chat App", "React, Firebase"),
            [Project(name="Inventory Tracker", technologies=["Python", "Flask"]), Project(name="Chat App")],
        ),
        (
            _section("Web Development", "• Payli: a payments app", "• Shopr: a store", "Mobile Apps", "• Kebab: a map"),
            [Project(name="Payli", description="a payments app"), Project(name="Kebab", description="a map")],
        ),
        (
            _section(*(sentences := ["Built a payments app with React", "Developed a store in Django", "Wrote a CLI"])),
            [Project(description=sentence) for sentence in sentences],
        ),
        (
            _section("Payli", "Mobile Payments App", "Shopr", "Online Store For Local Farmers"),
            [Project(name="Payli", description="Mobile Payments App")],
        ),
    ]
    for text, parsed in cases:
        assert ground(ParsedResume(projects=parsed), text).resume.projects == parsed, text


def test_what_follows_a_name_is_its_technologies_only_as_the_model_read_them() -> None:
    roles = _section(
        "Payli | Co-Founder", "Mobile payments in Swift and Kotlin.", "Shopr | Team Project, Leeds", "A store."
    )
    notes = _section(
        "Payli (Hackathon Winner)",
        "Mobile payments in Swift and Kotlin.",
        "Shopr (Swift, Kotlin)",
        "An online store for farmers.",
    )
    parsed = [Project(name="Payli", technologies=["Swift", "Kotlin"]), Project(name="Shopr", description="A store.")]
    assert [(p.name, p.technologies) for p in ground(ParsedResume(projects=parsed), roles).resume.projects] == [
        ("Payli", ["Swift", "Kotlin"]),
        ("Shopr", []),  # "Team Project, Leeds" is no technology the model read
    ]
    assert [(p.name, p.technologies) for p in ground(ParsedResume(projects=parsed), notes).resume.projects] == [
        ("Payli", ["Swift", "Kotlin"]),
        ("Shopr", ["Swift", "Kotlin"]),  # parentheses of technologies the model read elsewhere
    ]
