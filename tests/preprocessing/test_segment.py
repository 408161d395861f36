"""Cutting a long resume into parts of a few entries and merging their parses (issue #29, ml/preprocessing/segment)."""

from __future__ import annotations

import pytest

from ml.preprocessing.clean import normalise_bullets
from ml.preprocessing.segment import (
    ENTRIES_PER_PART,
    HEADER_LINES,
    MIN_ENTRIES_TO_CUT,
    date_range_spans,
    date_ranges,
    dated_entries,
    entry_starts,
    holds_no_jobs,
    inline_heading_kind,
    is_heading,
    merge_parses,
    section_kind,
    section_kinds,
    skills_section_items,
    split_resume,
)
from ml.schema import Education, Experience, ParsedResume
from ml.text import BULLET_GLYPHS

HEAD = ["Ana Lima", "ana@example.com | +55 11 5555 0100 | São Paulo", "https://ana.example.dev"]
DATES = ["Mar 2023 – Present", "2021-06 - 2023-02", "05/2019 to 05/2021", "Jan. 2018 – Apr 2019",
         "2016 - 2018", "seit 2015", "Sept 2013 - Dec 2014", "2012 – 2013", "févr. 2010 – août 2012"]  # fmt: skip


def long_resume(jobs: int = 9) -> tuple[str, list[str]]:
    """A resume of ``jobs`` jobs (title line, company line, date line, two bullets) and one school; also returns
    the first header line of each dated entry."""
    lines = [*HEAD, "", "SUMMARY", "Engineer who ships.", "", "EXPERIENCE"]
    firsts = []
    for index in range(jobs):
        firsts.append(f"Engineer {index}")
        lines += [f"Engineer {index}", f"Company {index}, Town", DATES[index % len(DATES)]]
        lines += [f"- Built system {index} that cut costs by 10%.", f"- Led {index} people through a migration.", ""]
    lines += [
        "EDUCATION",
        "BSc Computer Science",
        "University of Somewhere",
        "2008 - 2012",
        "",
        "SKILLS",
        "Python, SQL",
    ]
    firsts.append("BSc Computer Science")
    return "\n".join(lines), firsts


def test_every_dated_entry_is_found_at_its_first_header_line() -> None:
    text, firsts = long_resume()
    lines = text.splitlines()
    assert [lines[i] for i in entry_starts(lines)] == firsts


def test_a_long_resume_is_cut_between_entries_into_even_parts_each_a_short_resume_of_the_same_person() -> None:
    text, firsts = long_resume(9)  # 10 dated entries: parts of even size, at most ENTRIES_PER_PART each
    parts = split_resume(text)
    assert len(parts) == -(-10 // ENTRIES_PER_PART) > 1
    for part in parts:
        assert part.splitlines()[: len(HEAD)] == HEAD  # every part starts as the resume does
        assert sum(part.count(first) for first in firsts) <= ENTRIES_PER_PART
    assert parts[1].splitlines()[len(HEAD) + 1] == "EXPERIENCE"  # the heading the cut falls under
    for first in firsts:  # each entry whole in exactly one part
        holder = [part for part in parts if f"{first}\n" in part]
        assert len(holder) == 1
    body = [line for line in text.splitlines() if line.strip()]
    rejoined = [line for i, part in enumerate(parts) for line in part.splitlines()[(len(HEAD) + 2) * bool(i) :]]
    assert [line for line in rejoined if line.strip()] == body  # nothing lost, nothing moved


@pytest.mark.parametrize("jobs", [0, 2, MIN_ENTRIES_TO_CUT - 2])  # and an education entry
def test_a_short_resume_is_one_part_as_it_is(jobs: int) -> None:
    text, _ = long_resume(jobs)
    assert split_resume(text) == [text]


def test_prose_and_bullets_with_years_are_not_entry_headers() -> None:
    lines = [
        "Worked on billing from 2019 to 2021 and cut churn.",  # a sentence ending in a full stop
        "- 2018 - 2019: led the rewrite",  # a bullet
        "Engineer",
        "Acme",
        "2018 - 2019",
    ]
    assert entry_starts(lines) == [2]


def test_headings() -> None:
    assert is_heading("EXPERIENCE") and is_heading("## Work") and is_heading("Skills:")
    assert not is_heading("### Acme Corp") and not is_heading("Senior Engineer") and not is_heading("IBM 2019")
    assert not is_heading("  · AWS") and not is_heading("- SQL")  # an upper-case skill in a bullet list
    assert section_kind("Things I Built") == section_kind("## Things I Built:") == "projects"  # a real heading
    assert section_kind("Built") is None  # a word of it alone is none


def test_a_later_part_carries_its_section_heading_when_the_entry_before_ends_with_an_upper_case_skill() -> None:
    text, _ = long_resume(9)
    text = text.replace("through a migration.\n", "through a migration.\n  · AWS\n")
    parts = split_resume(text)
    assert len(parts) > 1 and parts[1].splitlines()[len(HEAD) + 1] == "EXPERIENCE"


def test_merge_keeps_the_first_contact_every_entry_in_order_once_and_the_union_of_lists() -> None:
    job = {"title": "Engineer", "start_date": "2019", "end_date": "2021"}
    first = ParsedResume(
        name="Ana Lima",
        email=None,
        experience=[Experience(company="A", **job), Experience(company="B", **job)],
        skills=["Python", "SQL"],
    )
    second = ParsedResume(
        name="Ana",
        email="ana@example.com",
        experience=[Experience(company="B", **job), Experience(company="C", **job)],  # B again: the cut's context
        education=[Education(institution="USP", degree="BSc")],
        skills=["sql", "Go"],
    )
    merged = merge_parses([first, second])
    assert merged.name == "Ana Lima" and merged.email == "ana@example.com"
    assert [job.company for job in merged.experience] == ["A", "B", "C"]
    assert [school.institution for school in merged.education] == ["USP"]
    assert merged.skills == ["Python", "SQL", "Go"]
    assert first.experience[-1].company == "B" and len(first.experience) == 2  # the inputs are not changed


def test_a_part_of_schools_and_skills_adds_no_jobs_where_another_part_has_the_work_section() -> None:
    """v10 read the schools, projects and skills after a long resume's work section as jobs (94 entries from 26
    such parts of the 80 real validation parses, none a job)."""
    jobs_part = "Ana Lima\nEXPERIENCE\nAcme, Engineer, 2019 - 2021\n- Built things."
    schools_part = "Ana Lima\nEDUCATION\nUSP, BSc, 2013 - 2017\nSKILLS\nPython, PyTorch, Agile"
    sidebar_part = "Ana Lima\nKEY SKILLS\nPython\nBarista — Vertex Hotel  2018 - 2020"  # a job under a list heading
    assert holds_no_jobs(schools_part) and not holds_no_jobs(jobs_part) and not holds_no_jobs(sidebar_part)
    assert not holds_no_jobs("Ana Lima\nSKILLS\nPython, PyTorch")  # no dated entry: nothing to go by
    job = Experience(company="Acme", title="Engineer", start_date="2019", end_date="2021")
    junk = Experience(company="PyTorch", title="Agile", start_date="2013", end_date="2017")
    parses = [ParsedResume(experience=[job]), ParsedResume(experience=[junk], skills=["Python"])]
    merged = merge_parses(parses, [jobs_part, schools_part])
    assert merged.experience == [job] and merged.skills == ["Python"]
    assert merge_parses(parses).experience == [job, junk]  # without the texts: every part's entries
    undated = "Ana Lima\nSUMMARY\nEngineer.\nAcme, Engineer, 2019 - 2021"  # no work heading in any part: kept
    assert merge_parses(parses, [undated, schools_part]).experience == [job, junk]


SKILLS_TEXT = """Ana Lima
SKILLS
- **Frontend**: Javascript ES6+, TypeScript, React & React Native
- **Backend**: Node.js (Next.js, Express), PostgreSQL, and Docker
Tools
  Git · Jira
I enjoy learning new tools, and I picked up Rust, Go, and Zig last year while mentoring two interns at work.
Python, Ruby
"""


def test_the_skills_section_gives_its_items_and_stops_where_the_list_does() -> None:
    assert skills_section_items(SKILLS_TEXT) == [
        "Javascript ES6+",
        "TypeScript",
        "React & React Native",
        "Node.js (Next.js, Express)",
        "PostgreSQL",
        "Docker",
        "Git",
        "Jira",
    ]  # group labels ("Frontend", "Tools") are not skills; the prose line ends the section, so Python is not read
    assert skills_section_items("Name\nTECHNOLOGIES: C, C++, Python\n\nLanguages:\nEnglish") == ["C", "C++", "Python"]
    pdf_grid = "Skills\nPython   Docker   Rust\nGit   Linux"
    assert skills_section_items(pdf_grid) == []  # a PDF's columns are not a list
    assert skills_section_items("EXPERIENCE\nPython, Go at Acme") == []  # no skills heading, nothing read


def test_dated_entries_are_counted_by_the_section_they_are_under() -> None:
    text = "\n".join(
        [
            "Ada Lovelace",
            "Engineer at Acme, 2010 - 2011",  # above every heading: not under work
            "WORK EXPERIENCE",
            "Engineer, Acme",
            "2020 - 2022",
            "Analyst, Beta",
            "Mar 2018 - Jan 2020",
            "- Led the 2019 - 2020 migration.",  # a bullet dates no entry
            "PROJECTS EXPERIENCE",
            "Ledger",
            "2021 - 2022",
            "Education",
            "BSc, Uni Town, 2014 - 2018",
        ]
    )
    assert dated_entries(text, "work") == 2
    assert (dated_entries(text, "projects"), dated_entries(text, "education")) == (1, 1)


def test_section_kinds_follow_the_headings_a_person_reads() -> None:
    text = "\n".join(
        [
            "Ada Lovelace",  # before any heading
            "WORK EXPERIENCE",
            "Engineer, Acme  2020 - 2022",
            "## Projects",
            "### Analytical Engine",  # an entry, not a heading
            "Volunteer Experience",
            "Mentor, Code Club",
            "Experience & Achievements",  # work, whatever else the heading names
            "PROJECTS EXPERIENCE",  # "experience" names work only where no other kind's word does
            "Career Objective",
            "Experience & Education",  # unless the heading joins two sections
            "Formación y Experiencia",
            "Professional Affiliations",  # a heading of no known kind ends the section before it
            "Formación:",
            "Career History:                 - Legal Research",  # a left column's heading beside a right column
            "Achievements:",  # a label inside a job
        ]
    )
    assert section_kinds(text) == [
        None,
        "work",
        "work",
        "projects",
        "projects",
        "volunteer",
        "volunteer",
        "work",
        "projects",
        "summary",
        "work",
        "work",
        None,
        "education",
        "work",
        None,
    ]
    assert section_kind("Tecnologías de la Información") is None  # a title's words are no heading
    assert section_kinds("Skills\nSeguimiento de\nproyectos\nGit")[1:] == ["skills"] * 3  # a wrap goes on, no heading
    wrapped_bullet = "Work\n- Designed pipelines for the analytics\nprojects.\nBeta  2020 - 2021\n"
    assert section_kinds(wrapped_bullet)[:4] == ["work"] * 4
    assert section_kinds("jane doe\n\nexperience\nAcme  2019 - 2020\n## projects\nGriller") == [
        None,
        None,
        "work",
        "work",
        "projects",
        "projects",
    ]  # lower-case headings are headings
    assert section_kind("MAVERiC Studio") is None
    phrases = ["Professional Background", "Academic Background", "Language Skills", "Outside of Work"]
    assert [section_kind(h) for h in phrases] == ["work", "education", "languages", "interests"]
    generated = ["Core Competencies", "Skills & Abilities", "Accreditations", "Spoken Languages", "Executive Summary"]
    assert [section_kind(h) for h in generated] == ["skills", "skills", "certifications", "languages", "summary"]


def test_an_entry_s_name_in_capitals_or_an_item_after_an_arrow_opens_no_section() -> None:
    """The JSON Resume "chronicle" rendering prints an employer in capitals below its dates ("CPANAX") and marks
    list items with arrows ("▸ PHP"): both read as headings of no known kind, which ended the work section."""
    text = "EXPERIENCIA LABORAL\n\nmar 2023 - may 2024\nCPANAX\nFrontend Developer\n▸ PHP\n› AWS\n\nFUN FACTS\nI sail"
    assert section_kinds(text) == ["work"] * 8 + [None, None]  # a heading of capitals away from dates still ends it
    assert section_kinds("Education\nNISER\n2020 - 2025") == ["education"] * 3
    # a heading after a blank line over a dated entry stays one; so does a label or a heading of words in mixed case
    leadership = "Education\nBSc CS, MIT  2016 - 2020\n\nLEADERSHIP\nPresident, Chess Club  2018 - 2019"
    assert section_kinds(leadership) == ["education"] * 3 + [None, None]
    assert section_kinds("Work\nAcme  2019 - 2020\nKEY ACHIEVEMENTS:\nBeta  2020 - 2021")[2:] == [None, None]
    assert section_kind("BERUFLICHER WERDEGANG") == "work"


def test_a_heading_in_capitals_before_its_items_opens_its_section() -> None:
    text = "\n".join(
        [
            "PROJECTS:",
            "Griller — A resume parser.",
            "TECHNOLOGIES: Python, llama.cpp",  # a label under an entry's lines is the entry's
            "",
            "SKILLS: C#, ASP.NET, Python",  # the skills section, written on one line below a blank one
            "",
            "EXPERIENCE:",
            "Engineer, Acme  2020 - 2022",
            "",
            "Languages: Go, Rust",  # a label in mixed case is a list's
            "",
            "HTML: Desarrollo Web",  # capitals of no known kind: an item's label
            "",
            "COMPETENCIAS TÉCNICAS: Desarrollo Web, Frontend",
        ]
    )
    assert section_kinds(text) == [
        "projects", "projects", "projects", "projects", "skills", "skills", "work", "work", "work", "work", "work",
        "work", "work", "skills",
    ]  # fmt: skip
    assert inline_heading_kind("技能: Python") is None  # a script without capitals has no heading in capitals
    assert inline_heading_kind("- **SKILLS**: Python") is None  # a list item
    assert inline_heading_kind("GPA: 3.8") is None


@pytest.mark.parametrize(
    ("heading", "kind"),
    [
        ("Education & Training", "education"),
        ("Educational Background", "education"),
        ("Education History", "education"),  # "history" is work only where no other kind is named
        ("Professional History", "work"),
        ("Work History", "work"),
        ("Educación", "education"),
        ("Formación académica", "education"),
        ("Training & Certifications", "certifications"),
    ],
)
def test_the_headings_of_generated_and_real_education_sections_are_read(heading: str, kind: str) -> None:
    assert section_kind(heading) == kind


def test_a_themes_month_with_a_comma_is_a_month_and_a_citys_name_is_not() -> None:
    assert date_ranges("Jan, 2025 - Feb, 2025  1 month") == [("2025-01", "2025-02")]
    assert date_ranges("Universidade Federal do Rio de Janeiro, 2016 - 2020") == [("2016", "2020")]


def test_a_spanish_month_of_a_year_is_a_month() -> None:
    """Spanish and Portuguese write "enero de 2018"; the month was lost and a range of two such dates not read."""
    assert date_ranges("enero de 2018 – diciembre de 2021") == [("2018-01", "2021-12")]
    assert date_ranges("**UX/UI Designer** · _mayo de 2024 – marzo de 2025_") == [("2024-05", "2025-03")]


def test_a_line_that_opens_with_its_range_is_an_entrys_header_whatever_its_end() -> None:
    lines = [
        "RELEVANT EXPERIENCE",
        "2017 until 2020: Senior Android Developer at Oakridge Digital Inc.",
        "➢ Wrote technical design documents for new features.",
        "Led the migration of the billing service from 2019 to 2021 across all of our teams.",
    ]
    assert entry_starts(lines) == [1]  # the sentence that names years stays a sentence


def test_a_double_hyphen_separates_a_range_as_a_dash_does() -> None:
    """LaTeX writes an en dash as "--" and an em dash as "---"; its plain-text renderings keep them."""
    assert date_ranges("Data Engineer, Acme   May 2022 -- Present") == [("2022-05", "present")]
    assert date_ranges("2019--2021") == [("2019", "2021")]
    assert date_ranges("May 2022 --- Present") == [("2022-05", "present")]


def test_every_bullet_glyph_marks_an_item_for_segmenting_and_for_cleaning() -> None:
    for glyph in BULLET_GLYPHS:
        assert normalise_bullets(f"{glyph} Cut costs by 20%") == "• Cut costs by 20%"
        assert section_kinds(f"Experience\nAcme, Engineer 2019 - 2021\n{glyph} Education")[-1] == "work"


def test_a_grid_line_ending_in_a_separator_goes_on_below() -> None:
    """A wrapped keyword below a line that ends in "·" keeps the grid going, through its next row of labels."""
    text = (
        "SKILLS\nMethods  Architecture\nTDD · BDD · Refactoring ·  CQRS · Event Sourcing\nEvent Driven Design ·\n"
        "MicroServices\n\nLanguages  Devops\nPHP · HTML · CSS ·  Docker · Kubernetes\n\nWORK EXPERIENCE\nDev at Acme"
    )
    assert skills_section_items(text) == [
        "TDD", "BDD", "Refactoring", "CQRS", "Event Sourcing", "Event Driven Design", "MicroServices",
        "PHP", "HTML", "CSS", "Docker", "Kubernetes",
    ]  # fmt: skip


def test_a_sidebars_badge_lists_under_its_about_head_are_read_without_a_skills_heading() -> None:
    text = (
        "Experience\nAcme 2020 - 2022\nDeveloper\nBuilt the API · and the site in one week.\n\nAbout\n"
        "ana@example.org\n\nJupyter\n\nPandas · Scikit-learn\nSpacy · Tableau\nSnowflake\n\nProjects\nRumors"
    )
    assert skills_section_items(text) == ["Pandas", "Scikit-learn", "Spacy", "Tableau", "Snowflake"]
    # under a job, two badge lines are the job's own keywords, not the person's skills section
    assert skills_section_items("Experience\nAcme 2020 - 2022\nGo · SQL\nDocker · AWS\n") == []


def test_training_alone_opens_no_section() -> None:
    """A skill or a bullet as often as a heading: it must not end a skills list or move the jobs below it."""
    listed = skills_section_items("Skills\nLeadership, Coaching,\nTraining\nExcel, Word, SAP")
    assert listed == ["Leadership", "Coaching", "Excel", "Word", "SAP"]  # "Training" labels the line below
    assert section_kinds("Experience\nHR Manager, Globex\nTraining\nHR Generalist, Initech")[-1] == "work"
    duties = "Experience\nHR Manager, Globex\nLed programs for 400 staff\n- Projects\n- Education\nHR Lead, Initech"
    assert section_kinds(duties)[-1] == "work"  # a bullet is no heading, whatever its words


def test_a_themes_skill_grid_is_read_past_its_group_labels_and_stops_at_the_next_section() -> None:
    grid = "\n".join(
        [
            "SKILLS",
            "Programming Languages",  # a group's label over its badges (as pdf_order writes them)
            "Python · Java · Java script · C",
            "Deep/Machine Learning Frameworks",
            "PyTorch · Tensorflow · Keras",
            "Languages",  # the next section, though it is a short line over a list too
            "Spanish (Native), English",
        ]
    )
    assert skills_section_items(grid) == ["Python", "Java", "Java script", "C", "PyTorch", "Tensorflow", "Keras"]


def test_a_themes_grid_of_groups_side_by_side_is_read_cell_by_cell() -> None:
    """Two or three groups in a row (the even and stackoverflow themes, as pdf_order joins a row's pieces): a row of
    labels, their keywords two spaces apart, a wrapped keyword alone on its line; levels and labels are no skills."""
    grid = "\n".join(
        [
            "Skills",
            "Programming Languages  Graphics, Audio & DSP  Tools & Platforms",
            "Senior  Senior  Mid",
            "Java · Python · C++ ·  webgl · glsl ·  Jira · GitHub",
            "JavaScript  fft · wasm  Docker",
            "",
            "SQL",  # the last keyword of a group, wrapped below a blank line
            "",
            "Deep Learning  Computer Vision",
            "PyTorch · CNN  Object Detection",
            "",
            "Languages",
            "Chinese  English",
            "Native  Fluent",
        ]
    )
    assert skills_section_items(grid) == [
        *("Java", "Python", "C++", "webgl", "glsl", "Jira", "GitHub", "JavaScript", "fft", "wasm", "Docker", "SQL"),
        *("PyTorch", "CNN", "Object Detection"),
    ]
    after = "\n".join(["Skills", "Programming  Tools", "Python · Go  Git · Docker", "Kubernetes", "", "ACHIEVEMENTS"])
    after += "\nWinner of Hackathon 2019\nDean's List\n\nLeadership\nCaptain, Rowing Club"
    assert skills_section_items(after) == ["Python", "Go", "Git", "Docker", "Kubernetes"]  # the grid ends there


def test_labelled_groups_of_one_item_and_a_wrapped_keyword_keep_the_list_going_and_a_heading_ends_it() -> None:
    section = "\n".join(
        [
            "Skills",
            "Programming Languages: Python, C++",  # languages a computer reads: not the spoken-languages section
            "CSS: Responsive Design",  # a group of one keyword, over a list: no label
            "Tailwind: CSS Framework",
            "Web Development",  # a label over its keywords (the kendall theme)
            "HTML · CSS · JavaScript · Laravel",
            "WebPal",  # the group's last keyword, wrapped
            "HTML",  # an upper-case label over its keywords
            "Desarrollo Web · Frontend",
            "Quantum",
            "  Qiskit",  # one keyword, indented below its group's label (the chronicle layout)
            "Positions Held",  # the next section's heading, right below the list
            "Head Chef | The Grand Harbour Hotel",
        ]
    )
    assert skills_section_items(section) == [
        *("Python", "C++", "Responsive Design", "CSS Framework", "HTML", "CSS", "JavaScript", "Laravel", "WebPal"),
        *("Desarrollo Web", "Frontend", "Qiskit"),
    ]


def test_a_themes_skill_groups_with_levels_are_read_without_a_heading_and_interests_are_not_skills() -> None:
    sidebar = "\n".join(
        [
            "About",
            "cristian_diaz@example.com",
            "",
            "Front-end",  # macchiato: a group, its level, its keywords as badges; no "Skills" heading
            "",
            "Advanced",
            "HTML · CSS · JavaScript",
            "TypeScript · SCSS",
            "",
            "Bases de Datos",
            "",
            "Intermedio",
            "PostgreSQL · MongoDB",
            "",
            "INTERESTS",
            "Writing  Leisure Activities",
            "Skills: Poetry · Essays",  # stackoverflow labels an interest's keywords "Skills:"
        ]
    )
    assert skills_section_items(sidebar) == ["HTML", "CSS", "JavaScript", "TypeScript", "SCSS", "PostgreSQL", "MongoDB"]


def test_a_projects_keyword_line_is_not_the_skills_section_but_a_labelled_section_line_is() -> None:
    text = "\n".join(
        [
            "EDUCATION:",
            "B.S., Computer Science, Fudan University (2023 to 2027)",
            "",
            "TOOLBOX: PyTorch, Docker",  # a section of its own, in the inline layout
            "",
            "PROJECTS",
            "Christie's mini program May 2023 - Current",
            "",
            "Skills: Taro · React · Orval",  # the stackoverflow theme: one project's keywords
            "Built the WebSocket module.",
        ]
    )
    assert skills_section_items(text) == ["PyTorch", "Docker"]


def test_a_later_part_carries_a_heading_in_title_case_too() -> None:
    text, _ = long_resume(9)
    text = text.replace("\nEXPERIENCE\n", "\nProfessional Background\n")  # no capitals, no colon: still a heading
    parts = split_resume(text)
    assert len(parts) > 1 and all(part.splitlines()[len(HEAD) + 1] == "Professional Background" for part in parts[1:])


def test_an_iso_start_keeps_its_month_after_a_titles_word_or_the_line_above() -> None:
    assert date_ranges("Restaurant Supervisor, 2023-11 – PRESENT") == [("2023-11", "present")]
    assert date_ranges("Warehouse Supervisor, Greenleaf Foods\n2023-05 – 2024-05") == [("2023-05", "2024-05")]
    assert date_ranges("Foods 2019 - 2020") == [("2019", "2020")]  # a year stays a year


def test_a_sidebars_skills_go_on_after_the_other_column_breaks_into_them() -> None:
    """The kendall theme's reading order: the skills list, a job of the main column, then the rest of the list,
    its group labels ("AI/ML") read as headings of no known kind."""
    text = (
        "SKILLS\n\nHuman-Computer Interaction\nUser-Centered Design · Interaction Design\n\n"
        "Initiated MLOps image-labeling features for defect detection.\n\nBosch  Wuxi, China\n"
        "August 2020 – November 2020\n\nData Science\n\nScalable Analytics · Data Visualization\n\nAI/ML\n\n"
        "LSTM · GAN · Diffusion Models\n\nINTERESTS\n\nDesign · HCI · Graphics\n"
    )
    assert skills_section_items(text) == [
        "User-Centered Design",
        "Interaction Design",
        "Scalable Analytics",
        "Data Visualization",
        "LSTM",
        "GAN",
        "Diffusion Models",
    ]
    assert skills_section_items(text.replace("SKILLS", "PROJECTS")) == []  # no skills read before: nothing goes on


def test_a_themes_skill_group_lists_its_keywords_one_a_line_below_its_level() -> None:
    """The macchiato theme's sidebar: a group's name, its level, then its keywords one a line, the long ones wrapped
    by the sidebar's width."""
    text = (
        "About\n\nPruebas de penetración\n\nAvanzado\nHacking ético\nCurso Gratuito Hacking\nético Gamificado\n\n"
        "TI\n\nIntermedio\nGestión de servicios de\nTI\nWorkshop ISO 27001\nEducation\nUniversidad de Chile\n"
    )
    assert skills_section_items(text) == [
        "Hacking ético",
        "Curso Gratuito Hacking ético Gamificado",
        "Gestión de servicios de TI",
        "Workshop ISO 27001",
    ]
    prose = "Avanzado\nLed the migration of the billing platform to AWS, cutting costs by a third.\n"
    assert skills_section_items(prose) == []


@pytest.mark.parametrize(
    "text",
    [
        "Education\nMaster\nData Science\nUniversity of Amsterdam\n2019 - 2020\n",  # a degree over its field
        "Skills\nPython · Go · SQL\n\nFUN FACTS\nOutside of work I enjoy a few things.\nChess · Climbing · Baking\n",
        "Skills\n\nBackend\n\nAvanzado\nPython\nDjango\nBACKGROUND\nAcme Corp\nDeveloper\n2019 – 2021\n\n",
    ],
)
def test_what_is_no_skill_group_reads_no_skills(text: str) -> None:
    """Found by a review: a level word over a degree, a hobbies list after the skills list with no other column's
    entry between, a group running into the next section and its job."""
    items = skills_section_items(text)
    assert not {"Data Science", "University of Amsterdam", "Chess", "Acme Corp", "Developer"} & set(items)


_NAMED = [
    ("HTML", "Web · Frontend"),
    ("CSS", "Web · Frontend · Responsive"),
    ("Node", "Web · Backend"),
    ("Git", "Versioning · Collaboration"),
]


@pytest.mark.parametrize(
    "text",
    [
        "Skills\n" + "".join(f"{name}: {tags.replace(' · ', ', ')}\n" for name, tags in _NAMED),  # one a line
        "## Skills\n\n" + "".join(f"- **{name}**: {tags.replace(' · ', ', ')}\n" for name, tags in _NAMED),
        "SKILLS\n" + "".join(f"{name}\n  {tags}\n" for name, tags in _NAMED),  # a name over its indented tags
        "Skills\n" + "".join(f"{name}\n{tags}\n\n" for name, tags in _NAMED),  # a theme: the name, then its tags
        "About\n\n" + "".join(f"{name}\n\nMaster\n{tags.replace(' · ', chr(10), 1)}\n\n" for name, tags in _NAMED),
    ],
)
def test_skill_groups_that_each_name_a_skill_and_tag_it_read_their_names(text: str) -> None:
    """ "HTML" over "Web · Frontend", "CSS" over "Web · Frontend · Responsive": a quarter of real people write their
    skills so (the truth counts the names, :func:`ml.schema.document_skills`); the names are read before their tags."""
    items = skills_section_items(text)
    assert items[:3] == ["HTML", "Web", "Frontend"]
    assert {"CSS", "Responsive", "Node", "Backend", "Git", "Versioning"} <= set(items)


def test_a_grid_of_named_skills_reads_its_names_and_a_row_of_one_tag_twice_as_tags() -> None:
    """The even theme sets two groups a row; "Versioning  Versioning" is both columns' first tag, not two labels."""
    text = (
        "Skills\nHTML  CSS\nWeb · Frontend  Web · Frontend\nResponsive\n\nNode  SQL\nWeb · Backend  Data · Backend\n"
        "\nReact  Vue\nWeb · UI  Web · UI\n\nGit  GitHub\nVersioning  Versioning\n"
        "Collaboration · Source  Collaboration · Source\n\nLanguages\nSpanish\n"
    )
    items = skills_section_items(text)
    assert items[:3] == ["HTML", "CSS", "Web"]
    assert {"Node", "SQL", "Git", "GitHub", "Versioning", "Collaboration", "Responsive"} <= set(items)
    assert "Spanish" not in items


@pytest.mark.parametrize(
    ("text", "labels", "item"),
    [  # labels whose lists share one item; a grid that writes one label twice; a catch-all label
        (
            "Skills\nFrontend: JavaScript, TypeScript\nBackend: JavaScript, Node.js, SQL\nMobile: JavaScript, Expo\n",
            {"Frontend", "Backend", "Mobile"},
            "Expo",
        ),
        (
            "Skills\nSRE/DevOps  Backend\nAWS · Git  Ruby · PHP\n\nSRE/DevOps  Data\nGCP · Git  SQL · PHP\n",
            {"SRE/DevOps"},
            "GCP",
        ),
        (
            "Skills\n"
            + "".join(f"{name}: {tags.replace(' · ', ', ')}\n" for name, tags in _NAMED)
            + "Other Tools: Jira\n",
            {"Other Tools"},
            "Jira",
        ),
    ],
)
def test_group_labels_stay_labels_unless_every_group_names_a_skill(text: str, labels: set[str], item: str) -> None:
    items = skills_section_items(text)
    assert item in items and not labels & set(items)


def test_a_one_word_keyword_in_lower_case_is_a_keyword_of_its_own() -> None:
    assert skills_section_items("Skills\n\nFrontend\n\nAvanzado\nReact\njQuery\nnpm\nwebpack\n") == [
        "React",
        "jQuery",
        "npm",
        "webpack",
    ]


def test_a_markdown_employer_line_stays_with_its_entry_when_the_resume_is_cut() -> None:
    lines = ["# Ana Lima", "ana@example.com", "", "## Experience", ""]
    for i in range(6):
        employer = ("ACME", "BOLT", "CORE", "DYNE", "EPIC", "FLUX")[i]  # upper case, no digit: it reads as a heading
        lines += [f"### {employer}", f"**Engineer {i}** · _{DATES[i]}_", "", f"* Shipped feature {i}.", ""]
    parts = split_resume("\n".join(lines))
    assert len(parts) == 2 and "### DYNE\n**Engineer 3**" in parts[1] and "DYNE" not in parts[0]


@pytest.mark.parametrize(
    ("heading", "keyword"),
    [
        ("EXPERIENCE", "› PHP"),  # a job's keyword in capitals inside its entry is no heading to carry
        ("EXPERIENCE", "SRE"),
        ("BERUFLICHER WERDEGANG", "▸ SQL"),  # two words of no known kind still head a section
        ("Praxiserfahrung:", "SRE"),  # one word of no known kind below a blank line does too
        ("E X P E R I E N C E", "› PHP"),  # spaced out letter by letter
        ("## 工作经验", "▸ SQL"),
    ],
)
def test_a_later_part_carries_its_section_heading_not_a_keyword_line(heading: str, keyword: str) -> None:
    lines = [*HEAD, "", "EDUCATION", "BSc Computer Science, University of Somewhere", "", heading]
    for i in range(6):
        lines += [f"Engineer {i}", f"Company {i}", DATES[i], f"Built system {i}.", keyword, ""]
    parts = split_resume("\n".join(lines))
    assert len(parts) == 2 and parts[1].splitlines()[HEADER_LINES + 1] == heading


@pytest.mark.parametrize(
    ("heading", "kind"),
    [
        ("## 工作经验", "work"),
        ("教育背景", "education"),
        ("项目经历：", "projects"),
        ("スキル", "skills"),
        ("職務経歴", "work"),
    ],
)
def test_chinese_and_japanese_section_headings_are_known(heading: str, kind: str) -> None:
    """The headings of Chinese and Japanese resumes (a validation person's "教育经历" was read as a job title)."""
    assert section_kind(heading) == kind


def test_a_grid_whose_tags_repeat_only_beside_each_other_still_reads_its_names() -> None:
    """A review's case: each row's two groups share their tags, no row shares with another."""
    text = (
        "Skills\nHTML  CSS\nWeb · Frontend  Web · Frontend\n\nGit  GitHub\nVersioning · Source  Versioning · Source\n"
        "\nNode  Deno\nServer · JS  Server · JS\n\nLanguages\nSpanish\n"
    )
    assert skills_section_items(text)[:4] == ["HTML", "CSS", "Web", "Frontend"]


def test_a_skill_groups_name_in_capitals_over_its_badges_stays_in_the_skills_section() -> None:
    """kendall prints each skill group's name over its keywords as badges, and a group with no keywords as its name
    alone; a person's group "AI/ML" is in capitals, so it read as an unknown section's heading, and the reader
    stopped at "Database": the groups after it (Python, SQL, PyTorch: 18 true skills of jsonresume-067) were no
    skills. A heading of words ("FUN FACTS") over badges, or an acronym over anything but badges, still closes it."""
    text = (
        "SKILLS\nData Science\nMLOps · Data Mining\n\nDatabase\n\nAI/ML\n\nLSTM · GAN · Diffusion Models\n\n"
        "Software\n\nPython · SQL\n"
    )
    assert section_kinds(text) == ["skills"] * 14
    assert skills_section_items(text) == ["MLOps", "Data Mining", "LSTM", "GAN", "Diffusion Models", "Python", "SQL"]
    fun = text.replace("AI/ML", "FUN FACTS")
    assert section_kinds(fun)[6:] == [None] * 8
    assert skills_section_items(fun) == ["MLOps", "Data Mining"]
    prose = text.replace("LSTM · GAN · Diffusion Models", "Built a model of the weather.")
    assert section_kinds(prose)[6:] == [None] * 8
    misc = "SKILLS\nPython · Go\n\nMisc:\nChess · Hiking · Piano"  # a short label, not an acronym in capitals
    assert skills_section_items(misc) == ["Python", "Go"]


def test_an_interests_name_that_is_a_skills_heading_opens_no_skills_list() -> None:
    """kendall prints an interest's name over its keywords: "Technology" over "FinTech · Open-Source · AI" under
    INTERESTS (jsonresume-103) read as a skills heading, its keywords as skills."""
    text = "SKILLS\nBackend\nNode.js · PostgreSQL\n\nINTERESTS\nTechnology\nFinTech · Open-Source · AI\nFitness\n"
    assert skills_section_items(text) == ["Node.js", "PostgreSQL"]
    assert "FinTech" in skills_section_items(text.replace("INTERESTS\n", ""))  # under skills, a group like any


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("01.06.2019 - 31.05.2021", ("2019-06", "2021-05")),  # a German CV's days
        ("2022-12-01 — 2024-02-01", ("2022-12", "2024-02")),  # ISO days, as the flat theme prints them
        ("2019-06-01 — Present", ("2019-06", "present")),
        ("2015-2019", ("2015", "2019")),
        ("Jan 2019 - 03/2020", ("2019-01", "2020-03")),
        ("05/31/2019 - 31/05/2021", ("2019-05", "2021-05")),  # the day is the number over 12
        ("06/01/2019 - 07/01/2021", ("2019", "2021")),  # June 1st or January 6th: the year only
    ],
)
def test_date_ranges_are_read_with_their_days(written: str, read: tuple[str, str]) -> None:
    assert date_ranges(f"Engineer at Acme {written} Berlin") == [read]


def test_a_date_range_inside_a_line_stands_from_its_year_when_the_word_before_is_no_month() -> None:
    line = "Universidad de Chile 2011-01-01 — 2013-01-01 Ingeniería"
    ((begin, end),) = date_range_spans(line)
    assert (line[:begin], line[end:]) == ("Universidad de Chile ", " Ingeniería")
    ((begin, _),) = date_range_spans("Data Engineer Mar 2021 - Jan 2023")
    assert begin == len("Data Engineer ")


def test_a_skills_section_written_one_item_a_line_is_read_whole() -> None:
    """flat prints each skill over its tags, one a line, blank lines between: "HTML" in capitals read as an unknown
    section's heading and the reader stopped at it (the pool's flat PDFs: 0 of 30 skills). A rule under the heading
    is no item; levels beside the items, a page's footer among them or a bulleted list are read as before."""
    text = "Skills\n--------\n\nHTML\n\nDesarrollo Web\nFrontend\n\nCSS\n\nDiseño Responsive\n\nLanguages\nSpanish\n"
    assert section_kinds(text)[:12] == ["skills"] * 12
    assert skills_section_items(text) == ["HTML", "Desarrollo Web", "Frontend", "CSS", "Diseño Responsive"]
    levels = text.replace("Frontend", "Frontend 80%")
    assert "Frontend 80%" not in skills_section_items(levels)
    footer = text.replace("CSS\n", "Page 1 of 2\n")
    assert "Page 1 of 2" not in skills_section_items(footer)
    two = "Skills\n\nHTML\n\nCSS\n\nExperience\nEngineer at Acme 2019 - 2021\n"  # two short lines: anything
    assert skills_section_items(two) == []


def test_headings_and_contact_lines_after_a_skills_list_are_no_skills() -> None:
    """A heading in capitals with its lines right below it ends the list ("HOBBY", "LINKS"); a page's repeated head
    (name, email, phone) inside a list written one a line keeps the list from being read that way."""
    text = "SKILLS\nPython\nGo\nRust\n\nHOBBY\nChess\nRunning\n\nLINKS\ngithub.com/janedoe\n"
    items = skills_section_items(text)
    assert not {"HOBBY", "Chess", "LINKS", "github.com/janedoe"} & set(items)
    head = "Jane Doe\njane@example.com\n+1 555 123 4567\n\n"
    repeated = head + "SKILLS\nPython\nJava\n\n" + head + "Docker\nKafka\n"
    assert not {"Jane Doe", "jane@example.com", "+1 555 123 4567"} & set(skills_section_items(repeated))
