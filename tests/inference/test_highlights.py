"""A job's highlights read whole from the resume: cut-short ones completed, merged ones split, skipped ones added."""

import pytest

from ml.inference.grounding import ground
from ml.inference.highlights import highlights_as_written, read_items
from ml.schema import ParsedResume

RESUME = """Ada Byron
ada@example.com
Computer Vision

EXPERIENCE
Backend Engineer, NeuroLeap Corp. (2021 - present)
  • Focused on backend web development with Golang for server-side logic and Vue.js for the front end.
  • Golang
  • Vue.js
  • PostgreSQL
Intern, Acme (2019 - 2020)
  • Repaired and tested Windows 10 machines for the students of the lab.
  • Team collaboration

SKILLS
  • Computer Vision
  • Golang
"""


def job(*highlights: str, company: str = "NeuroLeap Corp.") -> dict:
    return {"company": company, "title": None, "start_date": None, "end_date": None, "location": None,
            "highlights": list(highlights)}  # fmt: skip


def test_items_are_bullets_with_the_lines_that_continue_them_and_other_lines_alone() -> None:
    text = (
        "• Built the payment service that settles two million orders a day for our\n"
        "  clients.\n• Led a team of four, hiring two engineers and mentoring both of them for the\n"
        "first year\n\nWorked on the search engine of the company and its indexing pipeline, with\n"
        "a team of three engineers.\n"
    )
    items = read_items(text)
    assert [(item.marked, item.text) for item in items] == [
        (True, "Built the payment service that settles two million orders a day for our clients."),
        (True, "Led a team of four, hiring two engineers and mentoring both of them for the first year"),
        (False, "Worked on the search engine of the company and its indexing pipeline, with"),
        (False, "a team of three engineers."),  # a PDF's unbulleted paragraph: no rule joins it reliably
    ]


def test_an_entry_header_or_a_heading_is_never_part_of_a_point() -> None:
    items = read_items("• Shipped the mobile app used by forty thousand people every day\nACME Corp 2019 - 2021\n")
    assert [item.text for item in items] == [
        "Shipped the mobile app used by forty thousand people every day",
        "ACME Corp 2019 - 2021",
    ]


NEUROLEAP_BULLETS = [
    "Focused on backend web development with Golang for server-side logic and Vue.js for the front end.",
    "Golang",
    "Vue.js",
    "PostgreSQL",
]
ACME_BULLETS = ["Repaired and tested Windows 10 machines for the students of the lab.", "Team collaboration"]


@pytest.mark.parametrize(
    ("neuroleap", "acme"),
    [
        pytest.param(  # merged, then the bullet it swallowed once more; cut short and the bullet below skipped
            [NEUROLEAP_BULLETS[0] + " Golang", "Golang", "Vue.js", "PostgreSQL"],
            ["Repaired and tested Windows 10 machines"],
            id="merged-and-cut-short",
        ),
        pytest.param(["Golang", "PostgreSQL"], ["Team collaboration"], id="skipped-bullets-of-the-run"),
    ],
)
def test_highlights_become_the_jobs_bullets_in_the_resumes_order(neuroleap: list[str], acme: list[str]) -> None:
    out = highlights_as_written([job(*neuroleap), job(*acme, company="Acme")], RESUME, [])
    assert [entry["highlights"] for entry in out] == [NEUROLEAP_BULLETS, ACME_BULLETS]


def test_what_cannot_be_read_whole_stays_as_the_model_wrote_it() -> None:
    paraphrase = "Wrote Go services for the backend"
    unanchored = job(paraphrase, "Golang", company=None)  # no header of the resume names it
    out = highlights_as_written([unanchored], RESUME, [])
    assert out[0]["highlights"][:1] == [paraphrase]
    assert out[0]["highlights"][1:] == NEUROLEAP_BULLETS  # the run of bullets it read one of
    # one of its entry's bullets read by the model, the others added: the paraphrase, written nowhere, is dropped;
    # "Computer Vision", which the resume writes (its tagline; a line only under SKILLS would be the skill's), stays
    anchored = highlights_as_written([job(paraphrase, "Golang", "Computer Vision")], RESUME, [])
    assert anchored[0]["highlights"] == [*NEUROLEAP_BULLETS[:2], "Computer Vision", *NEUROLEAP_BULLETS[2:]]
    unread = highlights_as_written([job(paraphrase, "Computer Vision")], RESUME, [])  # the model read none of them
    assert unread[0]["highlights"][0] == paraphrase


def test_another_fields_words_are_no_highlight() -> None:
    dropped: list[str] = []
    parsed = [job("NeuroLeap Corp.", "2021 - present", "server-side logic", "Golang"), job("Golang", company="Acme")]
    out = highlights_as_written(parsed, RESUME, dropped)
    assert out[0]["highlights"][:2] == [
        "Focused on backend web development with Golang for server-side logic and Vue.js for the front end.",
        "Golang",
    ]
    assert dropped == [
        "experience.highlights: NeuroLeap Corp. (its job's employer, title or place)",
        "experience.highlights: 2021 - present (an entry's header)",
        "experience.highlights: server-side logic (a few words out of a line)",
    ]
    # a line of the resume (the first job's, and the skills section's): left as written; then Acme's own bullets
    assert out[1]["highlights"] == ["Golang", *ACME_BULLETS]


def test_another_jobs_bullets_are_never_taken() -> None:
    out = highlights_as_written([job("PostgreSQL"), job("PostgreSQL", company="Acme")], RESUME, [])
    assert "Team collaboration" not in out[0]["highlights"]
    assert "Golang" in out[0]["highlights"]
    assert out[1]["highlights"] == ["PostgreSQL", *ACME_BULLETS]  # found only in the first job's run: left as written


def test_grounding_reads_highlights_whole() -> None:
    resume = ParsedResume.model_validate(
        {"name": "Ada Byron", "experience": [job("Focused on backend web development with Golang for server-side")]}
    )
    grounded = ground(resume, RESUME).resume
    assert grounded.experience[0].highlights[0].endswith("Vue.js for the front end.")
    assert grounded.experience[0].highlights[1:] == ["Golang", "Vue.js", "PostgreSQL"]


def test_a_bullet_that_names_years_or_wraps_is_a_highlight_all_the_same() -> None:
    text = "EXPERIENCE\nEngineer, Acme 2015 - 2022\n- Led the migration of billing from 2019 to 2021\n"
    text += "- Stakeholder\n  management\n"
    dropped: list[str] = []
    highlights = ["Led the migration of billing from 2019 to 2021", "Stakeholder management", "2015 - 2022"]
    out = highlights_as_written([job(*highlights, company="Acme")], text, dropped)
    assert out[0]["highlights"] == highlights[:2]
    assert dropped == ["experience.highlights: 2015 - 2022 (an entry's header)"]


def test_a_bullet_two_jobs_share_pulls_in_no_other_jobs_bullets() -> None:
    text = (
        "EXPERIENCE\nAcme 2018 - 2020\n- Built the billing service used by every team\n"
        "- Collaborated with product managers every week\n- Migrated the data warehouse to the cloud\n\n"
        "Globex 2020 - 2023\n- Wrote the search indexing pipeline from scratch\n"
        "- Collaborated with product managers every week\n"
    )
    acme = job("Built the billing service used by every team", company="Acme")
    globex = job("Collaborated with product managers every week", "Wrote the search indexing pipeline from scratch")
    out = highlights_as_written([acme, {**globex, "company": "Globex"}], text, [])
    assert out[0]["highlights"] == [
        "Built the billing service used by every team",
        "Collaborated with product managers every week",
        "Migrated the data warehouse to the cloud",
    ]
    assert out[1]["highlights"] == [
        "Collaborated with product managers every week",
        "Wrote the search indexing pipeline from scratch",
    ]


def test_an_entrys_header_without_its_dates_is_no_highlight() -> None:
    text = "EXPERIENCE\nRobotics Engineer at HiveGround Co., Ltd Jan 2018 - Jan 2019\nBuilt a pipeline detector\n"
    dropped: list[str] = []
    parsed = job("Robotics Engineer at HiveGround Co., Ltd", "Built a pipeline detector", company="HiveGround")
    out = highlights_as_written([{**parsed, "location": "Bangkok"}, job("Bangkok")], text + "Bangkok\n", dropped)
    assert out[0]["highlights"] == ["Built a pipeline detector"]
    assert dropped == [
        "experience.highlights: Robotics Engineer at HiveGround Co., Ltd (an entry's header)",
        "experience.highlights: Bangkok (another entry's employer, title, place or school)",  # a line, but a place
    ]
    assert out[1]["highlights"] == []


QUOTED = """Experience
Software Engineer, Target Corporation   2022 - present
Designed Kafka Consumer Segregation design for “Order Pick Up” and "Ship from Store" flows.
Redesigned the order modification system for guests.
"""


@pytest.mark.parametrize("layout", ["unbulleted", "bulleted"])
def test_a_highlight_the_model_ended_at_a_quote_is_read_to_its_lines_end(layout: str) -> None:
    """JSON ends a string at a quote: v10 wrote "Designed Kafka ... design for " for a line that goes on with a
    quotation. The line it starts is the highlight; a highlight that stops before other words is left as it is."""
    text = QUOTED if layout == "unbulleted" else QUOTED.replace("\nDesigned", "\n• Designed")
    cut = "Designed Kafka Consumer Segregation design for "
    out = highlights_as_written([job(cut, "Redesigned the order modification system", company="Target")], text, [])
    line = 'Designed Kafka Consumer Segregation design for “Order Pick Up” and "Ship from Store" flows.'
    assert out[0]["highlights"][0] == line
    stops_before_words = "Designed Kafka Consumer Segregation design"
    out = highlights_as_written([job(stops_before_words, company="Target")], QUOTED, [])
    assert out[0]["highlights"][0] == stops_before_words
    possessive = QUOTED.replace("design for “Order", "design for Acme’s “Order")
    before_an_apostrophe = "Designed Kafka Consumer Segregation design for Acme"
    out = highlights_as_written([job(before_an_apostrophe, company="Target")], possessive, [])
    assert out[0]["highlights"][0] == before_an_apostrophe  # an apostrophe ends no JSON string


CHRONICLE = """WERDEGANG

März 2018 - aktuell
Fabian Schwarz
Freiberuflicher Fullstack Entwickler
Als Fullstack-Entwickler konzentriere ich mich auf funktionale Web-Erlebnisse mit React. Ich arbeite akribisch.

Oktober 2024 - aktuell
node.energy
Senior Frontend Developer
Als Teil des Teams von node.energy trage ich zu robusten Webanwendungen bei. Ich lerne gerne schnell neue Themen.
› React
› Tanstack React Query

März 2023 - aktuell
Zeix AG
Associate Frontend Entwickler
Als Frontend-Entwickler bei Zeix habe ich an Websites der Schweizer Regierung mitgewirkt.
› Handlebars
› Gulp

AUSBILDUNG
2009 - 2012
Leibniz Fachhochschule Hannover
"""


def dated(company: str, title: str, start: str, *highlights: str) -> dict:
    return {**job(*highlights, company=company), "title": title, "start_date": start}


def test_a_job_keeps_the_points_under_its_own_header_and_gives_back_another_entrys() -> None:
    """v10 on a long real career (jsonresume-114, chronicle layout): it lost its place after a few jobs, copied the
    points of one entry into the next, split a paragraph into sentences and left an entry's own points out. The
    entry a job's header names (its dates, employer, title) holds its points: a reader takes those."""
    dropped: list[str] = []
    parsed = [
        dated("node.energy", "Senior Frontend Developer", "2024-10", "Ich lerne gerne schnell neue Themen.", "React"),
        dated(
            "Zeix AG",
            "Associate Frontend Entwickler",
            "2023-03",
            "Als Teil des Teams von node.energy trage ich zu robusten Webanwendungen bei.",
            "Handlebars",
        ),
    ]
    out = highlights_as_written(parsed, CHRONICLE, dropped)
    assert out[0]["highlights"] == [
        "Als Teil des Teams von node.energy trage ich zu robusten Webanwendungen bei. Ich lerne gerne schnell neue "
        "Themen.",  # a sentence of the paragraph: the paragraph
        "React",
        "Tanstack React Query",
    ]
    assert out[1]["highlights"] == [
        "Als Frontend-Entwickler bei Zeix habe ich an Websites der Schweizer Regierung mitgewirkt.",
        "Handlebars",
        "Gulp",
    ]
    assert dropped == [
        "experience.highlights: Als Teil des Teams von node.energy trage ich zu robusten Webanwendungen bei. "
        "(another entry's point)"
    ]


def test_a_job_whose_header_names_no_entry_is_left_as_it_is() -> None:
    lost = dated("Musikerstube", "Frontend Entwickler", "2020-12", "Als Teil des Teams von node.energy trage ich zur")
    out = highlights_as_written([lost], CHRONICLE, [])
    assert out[0]["highlights"] == lost["highlights"]


def test_the_line_below_an_entrys_header_is_its_point_where_the_next_header_follows_it() -> None:
    """The macchiato theme: employer and dates on one line, the title below, one unbulleted point, then the next
    employer. The point is the entry's, not the next entry's header (it reaches no blank line above that one)."""
    text = """Experience

Colba Technologies S.L. 01/2021 - Present
Programador Senior Frontend Angular
Desarrollar una herramienta de gestión de bicis eléctricas para FIT E-Bike.
BeLike Software 01/2020 - 12/2020
Programador Senior Frontend Angular
Desarrollar una herramienta de formularios para test clínicos.
"""
    colba = dated("Colba Technologies S.L.", "Programador Senior Frontend Angular", "2021-01")
    belike = dated("BeLike Software", "Programador Senior Frontend Angular", "2020-01")
    out = highlights_as_written([colba, belike], text, [])
    assert [entry["highlights"] for entry in out] == [
        ["Desarrollar una herramienta de gestión de bicis eléctricas para FIT E-Bike."],
        ["Desarrollar una herramienta de formularios para test clínicos."],
    ]


def test_what_follows_an_entry_is_no_point_of_it() -> None:
    """In an entry: labelled fields, a short line naming its team; after it: a section whose heading no rule knows,
    a page's footer."""
    text = """Work Experience

Employer: Falcon Infrastructure SE
Position: Civil Engineer
Dates: Feb 2024–Ongoing
Place: Düsseldorf Germany and the whole region
Key Responsibilities:
Emergency Department team (27 people)
- Supervised site works with 34 subcontractors
- Led BIM coordination for a hospital extension

Affiliations:
- Rotary Club of Düsseldorf
Nydia Romero | nydia-romero@example.org | page 2
"""
    falcon = dated("Falcon Infrastructure SE", "Civil Engineer", "2024-02")
    out = highlights_as_written([falcon], text, [])
    assert out[0]["highlights"] == [
        "Supervised site works with 34 subcontractors",
        "Led BIM coordination for a hospital extension",
    ]


def test_a_sentence_of_a_paragraph_outside_every_entry_stays_as_the_model_wrote_it() -> None:
    """The summary is no entry's: a job's highlight that is one of its sentences is not swapped for the summary."""
    text = (
        "Experienced engineer who builds payment systems for banks. Loves mentoring junior developers and open "
        "source.\n\nEXPERIENCE\nAcme 2019 - 2021\n- Built the ledger service used by every bank in the group\n"
    )
    sentence = "Loves mentoring junior developers and open source."
    out = highlights_as_written([dated("Acme", "", "2019", sentence)], text, [])
    assert out[0]["highlights"][0] == sentence


def test_an_entrys_points_go_to_one_job_only() -> None:
    text = (
        "EXPERIENCE\nAcme 2019 - 2021\n- Migrated the ledger to the new database cluster\n"
        "- Cut the deploy time of the platform from an hour to ten minutes\n\nGamma 2016 - 2019\n"
        "- Wrote the billing reports for the finance team every month\n"
    )
    acme = dated("Acme", "", "2019")
    gamma = dated("Gamma Labs", "", "2012", "Migrated the ledger to the new database cluster")  # names no entry
    out = highlights_as_written([acme, gamma], text, [])
    # the point the model gave another job stays there, as written; that job's run does not take the entry's others
    assert out[0]["highlights"] == ["Cut the deploy time of the platform from an hour to ten minutes"]
    assert out[1]["highlights"] == ["Migrated the ledger to the new database cluster"]


def test_a_point_that_names_the_employer_or_a_word_of_the_title_is_still_a_point() -> None:
    text = (
        "EXPERIENCE\nSenior Engineer, Acme Corp, Berlin — Jan 2019 - Dec 2021\n"
        "Worked with other engineers on the checkout flow of the shop.\n"
        "Rebuilt the Acme Corp checkout flow end to end in three months.\n"
    )
    job_ = {**dated("Acme Corp", "Engineer", "2019-01"), "location": "Berlin"}
    out = highlights_as_written([job_], text, [])
    assert out[0]["highlights"] == [
        "Worked with other engineers on the checkout flow of the shop.",
        "Rebuilt the Acme Corp checkout flow end to end in three months.",
    ]


def test_two_jobs_that_name_one_entry_and_entries_run_together_are_left_as_they_are() -> None:
    twice = [dated("Zeix AG", "Associate Frontend Entwickler", "2023-03") for _ in range(2)]
    assert highlights_as_written(twice, CHRONICLE, []) == twice
    flat = "Acme 2019 - 2021 " + "Built the ledger service for every bank in the group and more. " * 3 + "\n"
    lone = dated("Acme", "", "2019")
    assert highlights_as_written([lone], flat, []) == [lone]


def test_a_rewording_beside_every_point_of_its_entry_is_dropped() -> None:
    """v10 wrote a point of a Spanish resume twice, once as written and once reworded ("Realizaría de una
    herramienta..."). Where a job's highlights hold every point of its own entry, one the resume does not write is
    such a rewording; where a point of the entry is left unread, it may be that point and stays."""
    reworded = "Worked on the Swiss government's websites"
    dropped: list[str] = []
    zeix = dated("Zeix AG", "Associate Frontend Entwickler", "2023-03", "Handlebars", reworded, "Gulp")
    out = highlights_as_written([zeix], CHRONICLE, dropped)
    assert out[0]["highlights"] == [
        "Als Frontend-Entwickler bei Zeix habe ich an Websites der Schweizer Regierung mitgewirkt.",
        "Handlebars",
        "Gulp",
    ]
    assert dropped == [f"experience.highlights: {reworded} (not in its entry, whose points are all read)"]
    unread = CHRONICLE.replace("› Gulp\n", "› Gulp\n\n\n› Sass\n")  # after two blank lines: no job reads it
    out = highlights_as_written([zeix], unread, [])
    assert reworded in out[0]["highlights"]  # it may be "Sass", reworded


def test_a_line_written_only_under_another_section_is_no_highlight() -> None:
    """The even theme prints a job as a paragraph and a project's technologies as bullets: v10 read the bullets
    into every job."""
    text = (
        "Work\nFrontend Developer\nCPANAX\nMar 2023 – May 2024\n\nLideré el rediseño de la aplicación web.\n\n"
        "Projects\nSimplycodeless\n• Framer Motion\n• Cypress\n\nSkills\nCypress\n"
    )
    dropped: list[str] = []
    point = "Lideré el rediseño de la aplicación web."
    cpanax = dated("CPANAX", "Frontend Developer", "2023-03", "Framer Motion", point)
    out = highlights_as_written([cpanax], text, dropped)
    assert out[0]["highlights"] == [point]
    assert dropped == ["experience.highlights: Framer Motion (a line of another section)"]
    in_a_job = text.replace("aplicación web.\n", "aplicación web.\n• Framer Motion\n")  # also a point of the job
    out = highlights_as_written([cpanax], in_a_job, [])
    assert out[0]["highlights"] == ["Framer Motion", point]


def test_a_point_under_an_in_job_projects_label_stays_the_job_s() -> None:
    """ "Key Projects:" inside a job reads as a projects heading; its points are still the job's."""
    text = (
        "EXPERIENCE\nSenior Engineer, Acme  2019 – 2022\nKey Projects:\n- Built the payments platform for 3 banks\n"
        "Engineer, Beta  2016 – 2019\n- Led the migration to AWS\nEDUCATION\n"
    )
    acme = dated("Acme", "Senior Engineer", "2019", "Built the payments platform for 3 banks")
    out = highlights_as_written([acme], text, [])
    assert out[0]["highlights"] == ["Built the payments platform for 3 banks"]


def test_another_entry_s_header_fields_a_link_or_a_heading_are_no_highlights() -> None:
    """A kendall PDF's job read the next entries' headers as its points ("University of British Columbia",
    "Vancouver, BC"); other PDFs a link, a "SKILLS" heading."""
    text = (
        "Work\nSoftware Developer\nIn Motion Technology\nVancouver, BC\n2019 – 2021\n"
        "• Built the telemetry pipeline for the fleet of buses.\nSKILLS\nGo\n\nEducation\n"
        "University of British Columbia\n"
    )
    point = "Built the telemetry pipeline for the fleet of buses."
    stray = ["University of British Columbia", "SKILLS", "https://www.linkedin.com/company/x/"]
    motion = dated("In Motion Technology", "Software Developer", "2019", point, *stray)
    school = {"institution": "University of British Columbia", "degree": None, "field": None}
    dropped: list[str] = []
    out = highlights_as_written([motion], text, dropped, [school])
    assert out[0]["highlights"] == [point]
    assert dropped == [
        "experience.highlights: University of British Columbia (another entry's employer, title, place or school)",
        "experience.highlights: SKILLS (a section's heading)",
        "experience.highlights: https://www.linkedin.com/company/x/ (a link)",
    ]
    sentence = "Led the telemetry team of the company through two releases in one year"  # a sentence read as a title
    other = dated("Acme", sentence, "2017", "Shipped it.")
    out = highlights_as_written([dated("In Motion Technology", "Dev", "2019", sentence), other], text + sentence, [])
    assert sentence in out[0]["highlights"]


def test_a_sentence_of_a_point_written_again_is_dropped_unless_the_resume_lists_it() -> None:
    """v10 wrote a job's paragraph whole, then its sentences again; a bullet that repeats a sentence of the job's
    summary is the person's own point."""
    paragraph = "Led the checkout team for two years. Formed a group that built the payments module in PHP."
    text = f"Work\nAcme\nEngineer\n2019 - 2021\n{paragraph}\n"
    acme = dated("Acme", "Engineer", "2019", paragraph, "Formed a group that built the payments module in PHP.")
    assert highlights_as_written([acme], text, [])[0]["highlights"] == [paragraph]
    listed = text + "• Formed a group that built the payments module in PHP.\n"
    assert len(highlights_as_written([acme], listed, [])[0]["highlights"]) == 2


def test_a_jobs_bullets_run_on_across_a_page_break_but_a_page_number_is_no_point() -> None:
    """A theme PDF's page break leaves a blank line inside a job's bullets: v10 read the 7 before it of 15."""
    text = (
        "EXPERIENCE\nEngineer, Acme (2019 - present)\n• Migrated LambdaSharp to AWS CDK.\n\n"
        "• Led RDS encryption rollout across production databases.\n• Mentored a team of ten engineers.\n\n- 1 -\n\n"
        "SKILLS\nGo\n"
    )
    out = highlights_as_written([job("Migrated LambdaSharp to AWS CDK.", company="Acme")], text, [])
    assert out[0]["highlights"] == [
        "Migrated LambdaSharp to AWS CDK.",
        "Led RDS encryption rollout across production databases.",
        "Mentored a team of ten engineers.",
    ]


def test_a_list_after_a_blank_line_joins_only_with_points_of_its_own() -> None:
    """A review's cases: a sidebar's list carried over a page without its heading, a page's footer, a job's header
    written as a list item after a blank line: none is the job's point."""
    head = "EXPERIENCE\nEngineer, Acme (2019 - present)\n"
    head += "• Built the payments API in Go.\n• Migrated services to Kubernetes.\n"
    model = [job("Built the payments API in Go.", company="Acme")]
    own = ["Built the payments API in Go.", "Migrated services to Kubernetes."]
    for after in (
        "\n• English (fluent)\n• German (B2)\n",
        "\n- Page 1 of 2 -\n",
        "\n- **Beta**, Intern (2018 - 2019)\n",
    ):
        assert highlights_as_written(model, head + after, [])[0]["highlights"] == own, after


def test_a_jobs_spaced_points_under_its_own_highlights_label_are_all_its_own() -> None:
    """kendall prints a job's keywords under "Highlights", one a line with blank lines between: v10 read none."""
    text = (
        "EXPERIENCE\nSenior Frontend Developer, node.energy (2024 - present)\nBuilt robust web apps.\nHighlights\n\n"
        "• React\n\n• Tanstack React Query\n\n• Webpack\n\nSKILLS\nGo\n"
    )
    out = highlights_as_written([job("React", company="node.energy")], text, [])
    assert out[0]["highlights"] == ["React", "Tanstack React Query", "Webpack"]
    unlabelled = text.replace("Highlights\n", "").replace("SKILLS\nGo\n", "")  # the text's end: not known
    assert highlights_as_written([job("React", company="node.energy")], unlabelled, [])[0]["highlights"] == ["React"]
    bounded = text.replace("Highlights\n", "")  # the next section's heading closes the entry: its points are its own
    out = highlights_as_written([job("React", company="node.energy")], bounded, [])
    assert out[0]["highlights"] == ["React", "Tanstack React Query", "Webpack"]


def test_a_summary_below_a_place_set_apart_from_the_header_is_the_jobs_point() -> None:
    """The even theme: title, employer, dates, then the place and a blank line, then the job's summary. v10 read no
    point for five of such a resume's seven jobs; the place is no point."""
    text = (
        "Work\nDéveloppeur Web\nFreelance\nJan 2023 – Present\nFrance\n\n"
        "Conception et développement d'applications et sites web en autonomie.\n\n"
        "Assistant d'éducation\nCollège Paul Éluard\nJan 2009 – Jan 2011\nBonneuil-sur-Marne, France\n\n"
        "Surveillance et encadrement des élèves, aide aux devoirs.\n\nEducation\nUniversité Paris 8\n"
    )
    jobs = [
        dated("Freelance", "Développeur Web", "2023-01"),
        dated("Collège Paul Éluard", "Assistant d'éducation", "2009-01"),
    ]
    out = highlights_as_written(jobs, text, [])
    assert [entry["highlights"] for entry in out] == [
        ["Conception et développement d'applications et sites web en autonomie."],
        ["Surveillance et encadrement des élèves, aide aux devoirs."],
    ]


def test_a_sidebars_skill_or_its_level_is_no_point_but_a_jobs_own_keyword_is() -> None:
    """The macchiato theme prints its skill groups after the jobs: v10 read "Workshop ISO 27001" and the level
    "Intermedio" as the last job's points. "React", written under a job as well as in the skills section, stays."""
    text = (
        "Experience\nTRES60 01/2020 - 12/2022\nTécnico Ayudante\n• Trabajo en sistema Rajant y enlaces punto a punto.\n"
        "• React\n\nAbout\n\nTI\n\nIntermedio\nGestión de equipos\nWorkshop ISO 27001\nReact\n"
    )
    points = ["Trabajo en sistema Rajant y enlaces punto a punto.", "React", "Workshop ISO 27001", "Intermedio"]
    dropped: list[str] = []
    out = highlights_as_written([dated("TRES60", "Técnico Ayudante", "2020-01", *points)], text, dropped)
    assert out[0]["highlights"] == points[:2]
    assert len(dropped) == 2 and all("skills section" in why for why in dropped)


def test_a_one_line_point_below_the_dates_is_no_place() -> None:
    """A review's case: an unbulleted point of a line, without a full stop, then a blank line, then another point.
    Only a short line is a place set apart (see the even theme's test above)."""
    first = "Led the migration of our billing platform to Kubernetes with zero downtime"
    summary = (
        "Platform engineer with ten years of experience in payments and billing, and in the cloud infrastructure "
        "that runs them."
    )
    text = (
        f"{summary}\n{summary}\n{summary}\n\nExperience\nAcme Corp\nEngineer\n01/2020 - 12/2022\n{first}\n\n"
        "Cut cloud costs by a third.\n"
    )
    out = highlights_as_written([dated("Acme Corp", "Engineer", "2020-01")], text, [])
    assert out[0]["highlights"][:1] == [first]


def test_a_short_point_beside_an_interleaved_skills_list_stays() -> None:
    """A review's case: a two-column page sets a job's short point right below the skills lines; only a theme
    group's keywords below their level are a sidebar's skills."""
    text = (
        "Experience\nBarista, Café Uno 01/2020 - 12/2022\nSkills\nLatte art, Customer service\nCash handling, "
        "Inventory\nOpening shift lead\n• Trained six new baristas in two months.\n"
    )
    points = ["Opening shift lead", "Trained six new baristas in two months."]
    out = highlights_as_written([dated("Café Uno", "Barista", "2020-01", *points)], text, [])
    assert out[0]["highlights"] == points


def test_pages_parted_by_form_feeds_are_read_without_error() -> None:
    """pdftotext parts pages with a form feed, which ``str.splitlines`` ends a line at: a review found a crash."""
    text = (
        "Ana Lima\nExperience\nAcme Inc 01/2020 - 12/2022\n• Built the payment service in Go.\n\x0cBeta Inc 01/2018 - "
        "12/2019\n• Ran the data team.\n\x0cEducation\nMIT\nSkills\nPython, Go, SQL\nDocker, AWS\n\x0c"
    )
    resume = ParsedResume.model_validate(
        {"experience": [dated("Acme Inc", "Engineer", "2020-01", "Built the payment service in Go.")]}
    )
    assert ground(resume, text).resume.experience[0].highlights == ["Built the payment service in Go."]


def test_an_entry_whose_dates_end_the_text_has_no_points_and_no_error() -> None:
    """The last job's dates on the text's last line: the block reader looked one line past the end (a CI run's 30
    failures, found before it landed)."""
    text = "Experience\nAcme Corp\nEngineer\n01/2020 - 12/2022"
    assert highlights_as_written([dated("Acme Corp", "Engineer", "2020-01")], text, [])[0]["highlights"] == []


def test_spaced_points_under_a_label_are_read_where_the_model_read_none() -> None:
    """jsonresume-114 as a kendall PDF: v10 read none of a job's keywords under "Highlights", each a point of its
    own with blank lines between; the entry's first run went on only to the first blank line."""
    text = (
        "EXPERIENCE\nnode.energy\nOctober 2024 – Present\n\nSenior Frontend Developer\nBuilt robust web apps.\n"
        "Highlights\n\n• React\n\n• Tanstack React Query\n• Webpack\n\nZeix AG\nMarch 2023 – Present\n"
    )
    model = dated("node.energy", "Senior Frontend Developer", "2024-10", "Built robust web apps.")
    out = highlights_as_written([model], text, [])
    assert out[0]["highlights"] == ["Built robust web apps.", "React", "Tanstack React Query", "Webpack"]
    last = text.replace("Highlights\n", "").replace("\nZeix AG\nMarch 2023 – Present\n", "")
    assert highlights_as_written([model], last, [])[0]["highlights"] == ["Built robust web apps."]  # nothing closes it


def test_a_shortened_paragraph_stays_where_its_wrapped_lines_are_no_point() -> None:
    """A PDF wraps a job's summary over two lines: no item holds it whole, so the model's shortening of it (the
    middle cut out) is that point, not a rewording beside an entry whose points are all read."""
    words = "Ello Rollator war ein Startup, das elektrische Rollatoren herstellte und dem Team"
    text = (
        f"EXPERIENCE\nEllo Rollator\nOctober 2018 – July 2020\n\nWordpress Entwickler\n{words} bei der Bewältigung\n"
        "von Herausforderungen half, weitere Fortschritte zu erzielen.\nHighlights\n\n• Wordpress\n\n• PHP\n"
    )
    shortened = f"{words} zu erzielen."
    dropped: list[str] = []
    model = dated("Ello Rollator", "Wordpress Entwickler", "2018-10", shortened, "Wordpress")
    assert highlights_as_written([model], text, dropped)[0]["highlights"] == [shortened, "Wordpress", "PHP"]
    assert dropped == []


def test_a_rewording_beside_a_labelled_line_is_still_dropped() -> None:
    """A review's case: a job's "Technologies: Go, Kafka, PostgreSQL, Docker, AWS" line is no point and no paragraph
    the model shortened; an invented point beside every read point is dropped as before."""
    text = (
        "EXPERIENCE\nAcme Corp\nEngineer\nJan 2020 – Dec 2021\n- Built the billing API in Go.\n"
        "- Ran the data pipeline on Kafka.\nTechnologies: Go, Kafka, PostgreSQL, Docker, AWS\n"
    )
    invented = "Reduced latency by 50% using Go"
    model = dated("Acme Corp", "Engineer", "2020-01", "Built the billing API in Go.", invented)
    dropped: list[str] = []
    out = highlights_as_written([model], text, dropped)
    assert invented not in out[0]["highlights"]
    assert f"experience.highlights: {invented} (not in its entry, whose points are all read)" in dropped


def test_a_line_of_another_section_is_no_point_of_a_job_whose_points_are_all_read() -> None:
    """v10 read a sidebar's courses under "About" into the last job of a macchiato PDF ("Ethical Hacker")."""
    text = (
        "Work\nTRES60  12/2019 - 03/2020\nTécnico Ayudante\n"
        "• Técnico Ayudante en minera Anglo American, Los Bronces.\n\n"
        "About\nSantiago, Chile\nEthical Hacker\nWorkshop ISO 27001\n\nCursos\nEthical Hacker Pro\n"
    )
    point = "Técnico Ayudante en minera Anglo American, Los Bronces."
    job = dated("TRES60", "Técnico Ayudante", "2019-12", point, "Ethical Hacker", "Workshop ISO 27001")
    dropped: list[str] = []
    assert highlights_as_written([job], text, dropped)[0]["highlights"] == [point]
    assert dropped == [
        "experience.highlights: Ethical Hacker (a line of another section; its entry's all read)",
        "experience.highlights: Workshop ISO 27001 (a line of another section; its entry's all read)",
    ]
    # a bullet may be the job's own, cut off by a sidebar's heading; so may a line under a heading of no known kind
    bullet = text.replace("About\nSantiago, Chile\nEthical Hacker", "SKILLS & TOOLS\n- Ethical Hacker")
    assert highlights_as_written([job], bullet, [])[0]["highlights"] == [point, "Ethical Hacker"]
    unknown = text.replace("About", "MISC")  # a heading in capitals of no known kind
    assert highlights_as_written([job], unknown, [])[0]["highlights"] == job["highlights"]
