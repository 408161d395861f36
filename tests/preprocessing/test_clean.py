from __future__ import annotations

from ml.preprocessing.clean import Deduplicator, clean_text, content_hash, dehyphenate, normalise_bullets


def test_unicode_and_spaces() -> None:
    assert clean_text("Jane\u00a0Doe\u200b — e\ufb03cient  ﬁle\tsystems") == "Jane Doe — efficient file systems"


def test_dehyphenation() -> None:
    assert dehyphenate("Led the develop-\nment of the platform") == "Led the development of the platform"
    assert dehyphenate("Full-Stack\nEngineer") == "Full-Stack\nEngineer"


def test_bullets() -> None:
    text = "● Built APIs\n▪ Wrote docs\n➢ Led team\n- Shipped app\n* Fixed bugs\no Ran tests"
    assert normalise_bullets(text).splitlines() == [
        "• Built APIs",
        "• Wrote docs",
        "• Led team",
        "• Shipped app",
        "• Fixed bugs",
        "• Ran tests",
    ]


def test_page_numbers_and_running_headers_removed() -> None:
    text = (
        "Jane Doe – Resume\n\nExperience\nEngineer at Acme\n\nPage 1 of 2\n\nJane Doe – Resume\n\n"
        "Education\nBSc, MIT\n\n- 2 -\n"
    )
    cleaned = clean_text(text)
    assert "Page 1 of 2" not in cleaned and "- 2 -" not in cleaned
    assert cleaned.count("Jane Doe – Resume") == 1  # the first stays: it is the name line
    assert "Engineer at Acme" in cleaned and "BSc, MIT" in cleaned


def test_repeated_content_lines_are_kept() -> None:
    text = "Skills\nPython\nSQL\nProjects\nPython\nA tool"
    assert clean_text(text).count("Python") == 2


def test_broken_lines_rejoined() -> None:
    text = (
        "Summary\nExperienced engineer who builds reliable data platforms and mentors\n"
        "junior colleagues across several teams.\nSkills\nPython"
    )
    cleaned = clean_text(text)
    assert "mentors junior colleagues" in cleaned
    assert "\nSkills\nPython" in cleaned


def test_exact_and_near_duplicates() -> None:
    base = " ".join(f"word{i}" for i in range(300))
    dedup = Deduplicator(threshold=0.8)
    assert dedup.add("a", base)
    assert not dedup.add("b", base.upper())  # exact after normalisation
    assert not dedup.add("c", base.replace("word150", "changed"))  # near duplicate
    assert dedup.add("d", " ".join(f"other{i}" for i in range(300)))
    assert (dedup.exact, dedup.near) == (1, 1)
    assert content_hash("A  b") == content_hash("a b")
