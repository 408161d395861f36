"""Projects read as the resume writes them, where its projects section has a layout a reader sees at a glance
(issue #29.4): one project a line ("Name — description", :func:`projects_as_written`), or blocks of a name line,
a description and list items (:func:`projects_by_blocks`). v10 stops early on a list of projects and rewrites their
descriptions; in a long part it read none of a theme PDF's ten. :func:`ml.inference.grounding.ground` runs these
after its per-project rules.
"""

from __future__ import annotations

import re

from ml.inference.job_headers import LINK_LINE, MAX_TITLE_WORDS
from ml.preprocessing.segment import date_range_start, date_ranges, section_kind, section_kinds
from ml.text import LIST_ITEM, compact, norm, ratio, token_f1

_PROJECT_LINE = tuple(
    re.compile(rf"^\s*(?:[-*•]\s+)?(?:\*\*)?(?P<name>[^*]{{1,100}}?)(?:\*\*)?\s+{dash}\s+(?P<description>\S.*)$")
    for dash in ("—", "–")
)
"""A project written on one line, its name and its description parted by a dash: "Payli — Payli agiliza ...";
an em dash first (a name may hold an en dash: "HostDetective – Next Generation ... — This project ...")."""


_TECHNOLOGIES_TAIL = re.compile(
    r"\.\s+(?:technologies|technology|tech stack|tech|stack|tools|built with)\s*:\s*"
    r"(?P<items>[^,]{1,30}(?:,\s*[^,]{1,30})*)$",
    re.IGNORECASE,
)
"""A project line's technologies written after its description's last sentence, short items: ". Technologies:
Python, pandas" (not "A CLI that audits build tools: checks versions and licenses")."""


_LISTED_PROJECT = re.compile(r"^\s*[-*•]\s+(?:\*\*)?(?P<line>.+?)(?:\*\*)?\s*$")
"""A list item of a projects section: "• Name: description" (one theme's, and many people's)."""


_LABEL_NAMES = re.compile(
    r"(?i)^(?:tech(?:nolog\w*|nik\w*)?|tech stack|stack|tools?|built with|tecnolog\w*|technologien|outils"
    r"|herramientas|skills?|link|github|demo|role)$"
)
"""A list item's label, not a project's name ("- Stack: Taro, React", "• Tech: Python")."""


def _project_name(text: str) -> bool:
    """Whether ``text`` (before a list item's colon) can be a project's name: :data:`MAX_TITLE_WORDS` words at most,
    no sentence's end or semicolon in it ("Portfolio Site: Personal website in React. GitHub"), no label."""
    return (
        len(text.split()) <= MAX_TITLE_WORDS
        and not re.search(r"[.!?;]\s", text)
        and not _LABEL_NAMES.match(text.strip(" *"))
    )


def _project_line(line: str) -> tuple[str, str | None, bool] | None:
    """``line`` as a project's name and description, or None: no line with a date range ("2019 – 2020", "Resume
    Parser (Python), 2021 – 2022") and no half without a letter. A list item may part them by its last colon that
    leaves a project's name (:func:`_project_name`: "• TransCoPhy: Modernizing ... Transformers: Explored
    ..."), or end with the colon and no description ("• Document Comparison Tool (iABG):"); the third value says
    which form it is (a dash: False, a colon: True)."""
    if date_range_start(line) is not None:
        return None
    match = next((match for pattern in _PROJECT_LINE if (match := pattern.match(line))), None)
    if match is not None:
        name, description = match["name"].strip(), match["description"].strip()
    elif item := _LISTED_PROJECT.match(line):
        colons = [at.start() for at in re.finditer(r":(?:\s|$)", item["line"])]
        cut = next((at for at in reversed(colons) if _project_name(item["line"][:at])), None)
        if cut is None:
            return None
        name, description = item["line"][:cut].strip(" *"), item["line"][cut + 1 :].strip(" *") or None
    else:
        return None
    letters = [re.search(r"[^\W\d_]", part) for part in (name, description) if part is not None]
    return (name, description, match is None) if all(letters) else None


def projects_as_written(projects: list[dict], source_text: str) -> list[dict]:
    """The projects of a projects section written one a line as "Name — description" (or as a list item "• Name:
    description", :func:`_project_line`), each as written, in the
    resume's order, the model's technologies kept for those it named; its other projects after them, unless they are a
    piece of one read (a name cut short). v10 stops
    early on a list of projects and rewrites their descriptions ("Situio web inviesibles", a project's description
    given to the next): on the real validation text it found 44 of 87 true project names, 59 with this rule. A
    section with any other line (a wrapped description, a date, a bullet of technologies) is left to the model."""
    lines, kinds = source_text.split("\n"), section_kinds(source_text)
    written = [line for line, kind in zip(lines, kinds, strict=True) if kind == "projects" and line.strip()]
    rows = [row for line in written if not section_kind(line) and (row := _project_line(line))]
    if len(rows) < 2 or len(rows) != len(written) - sum(bool(section_kind(line)) for line in written):
        return projects
    if len({listed for _, _, listed in rows}) > 1:  # "Name — description" over "- Stack: Taro, React": no list
        return projects
    named = {compact(project.get("name")): project for project in projects if project.get("name")}
    read = []
    for name, description, _ in rows:
        technologies = named.get(compact(name), {}).get("technologies") or []
        tail = _TECHNOLOGIES_TAIL.search(description or "")
        if tail:  # "... holiday features. Technologies: Python, pandas"
            description = description[: tail.start()]
            technologies = technologies or [item.strip() for item in tail["items"].split(",") if item.strip()]
        read.append({"name": name, "description": description, "technologies": technologies})
    return read + [project for project in projects if not _read_already(project, read)]


PROJECT_NAME_HEAD = 40
"""Characters of a project's name compared with the names read (:func:`_read_already`)."""


def _read_already(project: dict, read: list[dict]) -> bool:
    """Whether a project of the model's is one of ``read``: its name the start or the end of one's, in whole words (a
    name cut short: "Interactif" of "Portfolio & CV Interactif"), or theirs the start of its own (a name run on into
    its description, "TransCoPhy: ...: Explored"), or its name's head much like one's (:data:`PROJECT_NAME_HEAD`
    characters, ratio 0.8: "Adapt PAD to Trifinger" for "Adapting PAD to Trifinger"); or, nameless, its description
    much like one's (token F1 0.5: a rewording)."""
    name, description = project.get("name"), project.get("description")
    if name:
        own = f" {norm(name)} "
        return any(
            f" {norm(row['name'])} ".startswith(own)
            or own.startswith(f" {norm(row['name'])} ")
            or f" {norm(row['name'])} ".endswith(own)
            or ratio(name[:PROJECT_NAME_HEAD], row["name"][:PROJECT_NAME_HEAD]) >= 0.8
            for row in read
        )
    return bool(description) and any(token_f1(description, row["description"]) >= 0.5 for row in read)


_NAME_TAIL = re.compile(r"\s*∙.*$|\s+\|\s+(?P<items>.*)$")
"""What follows a project's name on its line: a theme PDF's link ("Find My Kebab ∙ http://findmykebab.com"), or
its technologies ("Open Icons | Figma · SVG")."""
TITLE_CASE_SHARE = 0.6
MIN_NAMES_ALONE = 3
"""Lines, each a name in title case, that a section of names alone needs."""
_LISTED_TAIL = re.compile(r"\s*\((?P<items>[^()]+)\)$")
"""A name's technologies in parentheses: "Open Icons (Figma, SVG)", read so where the model named it without."""
_ITEM_SPLIT = re.compile(r"\s*[·,]\s*")
_LABEL = re.compile(r"^[^:]{1,30}:\s")
"""A labelled line ("Tech: Python", "Role: Lead"): no project's name."""


def _line_shape(line: str) -> str:
    """ "item" (a list item), "link" (a link alone), "name" (a project's name as a line can hold it: at most
    :data:`MAX_TITLE_WORDS` words before a theme's "∙" or a " | ", no label, no sentence's end, not a name and its
    description parted by a dash) or "prose"."""
    if LIST_ITEM.match(line):
        return "item"
    if LINK_LINE.match(line):
        return "link"
    name = _NAME_TAIL.sub("", line).strip(" *_#")
    if any(pattern.match(line) for pattern in _PROJECT_LINE):
        return "prose"  # a name and its description on one line
    if name and len(name.split()) <= MAX_TITLE_WORDS and not name.endswith((".", "!", "?")) and not _LABEL.match(name):
        return "name"
    return "prose"


def _title_case(text: str) -> bool:
    """Whether most words of four letters or more start in capitals, as a name's do ("Thread Safety in Multi-Threaded
    Microservice Architecture"; not "Set of 400 open-source interface icons")."""
    words = re.findall(r"[^\W\d_]{4,}", text)
    return bool(words) and sum(word[0].isupper() for word in words) >= TITLE_CASE_SHARE * len(words)


def _section_lines(source_text: str) -> list[str] | None:
    """The lines of the resume's one projects section, without its heading, blank lines and rules ("------"); a
    line starting in lower case right under another joined to it (a wrapped name or point). None where there is no
    such section, or more than one, or a line of it writes a date range (dated projects are entries the model
    reads) or a heading (a group of projects)."""
    lines, kinds = source_text.split("\n"), section_kinds(source_text)
    at = [k for k, kind in enumerate(kinds) if kind == "projects"]
    if not at or at[-1] - at[0] + 1 != len(at) or section_kind(lines[at[0]]) != "projects":
        return None
    kept: list[str] = []
    adjacent = False  # the line above was kept (no blank line between)
    for line in (lines[k].strip() for k in at[1:]):
        if not re.search(r"[^\W_]", line):
            adjacent = False
            continue
        if date_ranges(line) or section_kind(line) is not None:
            return None
        if adjacent and line[:1].islower() and _line_shape(line) != "link":
            joint = "" if _line_shape(kept[-1]) == "link" and " " not in line else " "  # a link's wrap has no space
            kept[-1] = f"{kept[-1]}{joint}{line}"
        else:
            kept.append(line)
        adjacent = True
    return kept


def _blocks(lines: list[str], descriptions: set[str]) -> list[tuple[str, str | None, list[str]]] | None:
    """(name, description, what follows the name after " | ") of each block of ``lines``, or None where they are not
    all such blocks. A block is a name line, a link line or none, the line after it as its description where the
    section is described (the model read a line of it in sentence case as a description, ``descriptions`` being
    the model's, compact; or a line of it is prose: a short description is written as a name would be), then list
    items (keywords, points); else names alone (:func:`_names_alone`). A line after a description that is not a
    list item opens the next block and must read as a name, shorter than its description and none of the model's
    descriptions; so a section whose projects have a role or a second paragraph is left to the model."""
    described = any(_line_shape(line) == "prose" for line in lines) or any(
        compact(line) in descriptions and not _title_case(line) for line in lines
    )
    blocks: list[list] = []
    state = "open"  # "named": a name read, its description next where described; "closed": the block read
    for line in lines:
        shape = _line_shape(line)
        shape = "prose" if shape == "name" and compact(line) in descriptions else shape  # no name: a description
        if shape == "link" and state == "named":
            continue
        if shape == "item" and blocks:
            blocks[-1][3] = True
            state = "closed"
            continue
        if state == "named" and described and shape in ("name", "prose"):
            blocks[-1][1] = line
            state = "closed"
        elif shape == "name":
            tail = _NAME_TAIL.search(line)
            items = [item for item in _ITEM_SPLIT.split(tail["items"]) if item] if tail and tail["items"] else []
            blocks.append([_NAME_TAIL.sub("", line).strip(" *_#"), None, items, False])
            state = "named"
        else:
            return None
    if len(blocks) < 2:
        return None
    if described and any(not text or len(name.split()) >= len(text.split()) for name, text, _, _ in blocks):
        return None  # a block without a description, or one no longer than its name: two names, or a name's role
    if not described and not _names_alone(blocks, lines, descriptions):
        return None
    return [(name, description, items) for name, description, items, _ in blocks]


def _names_alone(blocks: list[list], lines: list[str], descriptions: set[str]) -> bool:
    """Whether ``blocks`` read without descriptions are projects' names alone, one a line: :data:`MIN_NAMES_ALONE`
    or more, each in title case, without list items under it or a list in it ("Python, Flask" under "Inventory
    Tracker" is its stack, "Web Development" over its points a group), none a description the model read ("Shop"
    over "A Store In Django" is a name and its description as much as two names)."""
    return (
        len(blocks) >= MIN_NAMES_ALONE
        and all(
            _title_case(name) and not has_items and not _ITEM_SPLIT.search(name) for name, _, _, has_items in blocks
        )
        and not any(compact(line) in descriptions for line in lines)
    )


def projects_by_blocks(projects: list[dict], source_text: str, dropped: list[str]) -> list[dict]:
    """The projects of a projects section written as blocks (:func:`_blocks`: "Payli" / a link / "Payli agiliza
    ..." / "• Co-Founder"; "Job Finder ∙ https://..." / "Plataforma web que ..." / "• Búsqueda personalizada"; or
    names alone, one a line), each as written, in the resume's order, with the model's technologies for those it
    named (or those written after the name, where the model read them as technologies); its other projects after
    them, unless they are one read again or a piece of one (:func:`_read_already`) or a list item of the section
    (a keyword). v10 read 2 of a theme PDF's 8 such projects, none of another's 10."""
    lines = _section_lines(source_text)
    descriptions = {compact(p.get("description")) for p in projects} - {""}
    found = _blocks(lines, descriptions) if lines else None
    if not found:
        return projects
    technologies = {compact(item) for p in projects for item in p.get("technologies") or []}
    named = {compact(project.get("name")): project for project in projects if project.get("name")}
    read = []
    tails = [_LISTED_TAIL.search(name) for name, _, _ in found]
    parenthesised = any(  # the model named one without its parentheses: they hold technologies ("Open Icons (SVG)")
        tail and compact(name) not in named and compact(name[: tail.start()]) in named
        for (name, _, _), tail in zip(found, tails, strict=True)
    )
    for (name, description, items), tail in zip(found, tails, strict=True):
        if parenthesised and tail:
            name, items = name[: tail.start()], _ITEM_SPLIT.split(tail["items"])
        if not all(compact(item) in technologies for item in items):
            items = []  # "Payli | Co-Founder", "Shopr (Final Year Project)": technologies only as the model read them
        own = named.get(compact(name), {})
        if not own:
            dropped.append(f"projects: + {name} (a block of the projects section)")
        read.append(
            {
                "name": name,
                "description": description or own.get("description"),  # a point under a name the model read
                "technologies": own.get("technologies") or items,
            }
        )
    items = {compact(LIST_ITEM.sub("", line)) for line in lines if LIST_ITEM.match(line)}
    blocks = {compact(project["name"]) for project in read}
    others, seen = [], set()
    for project in projects:
        key = compact(project.get("name"))
        if key in blocks and key not in seen:
            seen.add(key)  # the block's own reading
        elif key in blocks:
            dropped.append(f"projects: {project['name']} (the same project as an earlier one)")
        elif _read_already(project, read):
            dropped.append(f"projects: {project.get('name') or project.get('description')} (a piece of a block)")
        elif key in items:
            dropped.append(f"projects: {project['name']} (a list item of a project)")
        else:
            others.append(project)
    return read + others
