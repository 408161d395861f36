"""A resume's certifications read against its own certifications section."""

from __future__ import annotations

from ml.inference.certifications import certifications_read

SECTION = (
    "Education\n- BSc, Universidad Inacap (2016 - 2020)\n\n"
    "Certificaciones\n- Associate Cloud Engineer Certification\n- Python Essentials 2 (2021)\n"
    "- Scrum Fundamentals Certified (SFC)\n\nIdiomas\nEspañol\n"
)


def test_the_items_of_a_list_the_model_read_one_of_are_added() -> None:
    """v10 read the first certificates of a long list and stopped."""
    model = ["Associate Cloud Engineer Certification", "BSc, Universidad Inacap (2016 - 2020)"]
    assert certifications_read(model, SECTION, []) == [
        *model,  # what the model read stays (another section's line is not this module's to judge)
        "Python Essentials 2",  # its year left out
        "Scrum Fundamentals Certified (SFC)",
    ]
    # the model read none of the list: nothing shows it is the certificates' (no items added)
    assert certifications_read(["Mooc GdP"], SECTION, []) == ["Mooc GdP"]
    # a list after a line that is no item is another list ("Idiomas" under a heading the section did not end)
    assert certifications_read(model[:1], SECTION.replace("- Python", "Badges:\n- Python"), []) == model[:1]


def test_a_link_a_date_or_a_fragment_is_no_certification() -> None:
    """A theme PDF prints a certificate's link and its "Issued on" date on lines of their own."""
    dropped: list[str] = []
    model = ["OpenCV Bootcamp", "Issued on: Jun 01, 2024", "https://example.com/cert.pdf", "df", "CU-TEP - 86/120"]
    assert certifications_read(model, "Certificates\nOpenCV Bootcamp\n", dropped) == [
        "OpenCV Bootcamp",
        "CU-TEP - 86/120",
    ]
    assert [d.rsplit("(", 1)[1] for d in dropped] == ["a date)", "a link)", "a fragment)"]


def test_a_certificate_s_details_and_a_mixed_heading_s_items_are_not_added() -> None:
    """A review: indented issuer and ID lines under a certificate, a "Skills & Certifications" list."""
    text = (
        "Certifications\n- AWS Certified Solutions Architect\n  - Issued by Amazon Web Services, 2021\n"
        "  - Credential ID 12345ABC\n- PMP\n- MCSA: Windows Server 2016\n"
    )
    read = certifications_read(["AWS Certified Solutions Architect"], text, [])
    assert read == ["AWS Certified Solutions Architect", "PMP", "MCSA: Windows Server 2016"]
    mixed = "Skills & Certifications\n- Python\n- SQL, Spark\n"
    assert certifications_read(["Python"], mixed, []) == ["Python"]
    assert certifications_read(["Issued Jun 2024", "credly.com/badges/x"], "", []) == []


def test_another_section_s_items_are_no_certifications_where_no_heading_names_certificates() -> None:
    """v10 listed a job's technologies as 13 certifications of a resume that has none (jsonresume-031, even)."""
    text = (
        "Work\nFrontend Developer\nCpanax\nTecnologías: Next.js, Typescript, Material UI\n\n"
        "Awards\nPMP, 2019\n\nSkills\nReact  Node\nAWS Certified Developer\n"
    )
    dropped: list[str] = []
    model = ["Typescript", "Material UI, Next.js", "React", "PMP", "AWS Certified Developer", "Kotlin"]
    # written under an awards heading, naming a certificate itself, or written on no line: not judged here
    assert certifications_read(model, text, dropped) == ["PMP", "AWS Certified Developer", "Kotlin"]
    assert [d.split(" (")[0] for d in dropped] == [
        "certifications: Typescript",
        "certifications: Material UI, Next.js",
        "certifications: React",
    ]
    # a heading that names certificates among other things keeps them all
    assert certifications_read(model, text.replace("Skills", "Skills & Certifications"), []) == model
    # so does a short label that names them, or a line naming certificates that writes the item
    assert certifications_read(model, text.replace("Awards", "Professional Certification"), []) == model
    labelled = "Skills\nLanguages: Python, SQL\nCertifications: CompTIA Security+, CCNA, Google Data Analytics"
    assert certifications_read(["CCNA", "Python"], labelled, []) == ["CCNA"]  # the line that writes it names them
    line = "Skills\nPython, SQL\nCCNA certified network engineer, Linux\n"
    assert certifications_read(["CCNA", "Linux"], line, []) == ["CCNA", "Linux"]  # its line names a certificate
