"""The language a resume is written in, for resumes that do not say (real ones; generated ones carry it).

``py3langid`` (langid.py's model: naive Bayes over byte n-grams, 97 languages, offline) reads the whole
text, which is long enough to be reliable; names and tool names in another language do not tip it.
"""

from __future__ import annotations


def resume_language(text: str) -> str:
    """ISO 639-1 code of ``text``'s language (``"en"``, ``"de"`` …)."""
    import py3langid  # loads its model on first use (about half a second)

    language, _ = py3langid.classify(text)
    return language
