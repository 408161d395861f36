"""Synthetic resumes with ground truth, deterministic from a seed.

A resume is made in two steps: :func:`make_profile` draws a person (occupation,
seniority, locale, career, schools, skills …) and
:func:`ml.preprocessing.synthetic.render.render` lays the profile out in one of the
layout families. The renderer builds the truth from the very strings it writes, so the
truth never holds what the text does not show (a date shown as ``2021`` is ``"2021"``
in the truth, a skill-group label is not a skill, a headline is not a job title).

    from ml.preprocessing.synthetic.generate import generate_resumes
    for item in generate_resumes(100, seed=7):
        print(item.meta["layout"], item.truth.name, len(item.text))
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from ml.preprocessing.synthetic import content as C
from ml.preprocessing.synthetic import i18n as I
from ml.preprocessing.synthetic.profile import REFERENCE, Job, Profile, Proj, School
from ml.preprocessing.synthetic.render import LAYOUTS, render
from ml.schema import ParsedResume


@dataclass
class SyntheticResume:
    text: str
    truth: ParsedResume
    meta: dict[str, Any]


# --- helpers ------------------------------------------------------------------------------------


def ascii_fold(text: str) -> str:
    """``"José Müller-Łukasz"`` → ``"Jose Muller-Lukasz"`` (for e-mail addresses and handles)."""
    text = text.replace("ł", "l").replace("Ł", "L").replace("ß", "ss").replace("ø", "o").replace("Ø", "O")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


@cache
def _faker(locale: str):  # type: ignore[no-untyped-def]
    from faker import Faker

    return Faker(locale)


CURRENCY = {"en_US": "$", "en_CA": "CA$", "en_AU": "A$", "en_GB": "£", "en_IN": "₹", "pt_BR": "R$", "es_MX": "MX$"}


_PLACEHOLDER = re.compile(r"\{(pct2?|n2?|big|money|x|days)\}")


def fill(template: str, rng: random.Random, currency: str = "$") -> str:
    """Fill the numeric placeholders of a bullet/outcome template, a fresh number for each."""

    def value(match: re.Match[str]) -> str:
        key = match[1]
        if key == "big":
            return f"{rng.choice([120, 180, 350, 450, 800, 1200, 2500, 3500, 8000, 12000, 25000, 40000, 90000]):,}"
        if key == "money":
            return currency + rng.choice(["120k", "250k", "400k", "750k", "1.2M", "2.4M", "3M", "5.5M", "12M"])
        if key == "x":
            return f"{rng.uniform(1.5, 9.5):.1f}"
        low, high = {"pct": (5, 70), "pct2": (80, 99), "n": (2, 40), "n2": (1, 9), "days": (2, 30)}[key]
        return str(rng.randint(low, high))

    return _PLACEHOLDER.sub(value, template)


def _ym_add(ym: tuple[int, int], months: int) -> tuple[int, int]:
    total = ym[0] * 12 + ym[1] - 1 + months
    return total // 12, total % 12 + 1


# --- profile ------------------------------------------------------------------------------------

SENIORITY_WEIGHTS = {"junior": 26, "mid": 30, "senior": 24, "lead": 12, "executive": 8}
CAREER_YEARS = {"junior": (0, 3), "mid": (3, 7), "senior": (6, 13), "lead": (9, 18), "executive": (15, 30)}
JOB_COUNT = {"junior": (1, 3), "mid": (2, 4), "senior": (3, 6), "lead": (4, 7), "executive": (4, 8)}
# Long careers (8-12 jobs) are where a small parser drifts and drops the sections after experience; real
# resumes of senior people list that many roles often enough that the generator must too.
LONG_CAREER_JOBS = (8, 12)
LONG_CAREER_SHARE = {"senior": 0.04, "lead": 0.12, "executive": 0.25}
LADDER = ["junior", "mid", "senior", "lead", "executive"]

COMPANY_STEMS = [
    "Northwind",
    "Bluepeak",
    "Silverline",
    "Redwood",
    "Harbor",
    "Lumen",
    "Vertex",
    "Pinecrest",
    "Arcadia",
    "Summit",
    "Clearwater",
    "Ironbridge",
    "Crescent",
    "Oakridge",
    "Meridian",
    "Beacon",
    "Evergreen",
    "Cobalt",
    "Sterling",
    "Alder",
    "Kestrel",
    "Falcon",
    "Juniper",
    "Tidewater",
    "Highland",
    "Granite",
]
COMPANY_KINDS = {
    "software": ["Software", "Labs", "Technologies", "Digital", "Systems", "Cloud"],
    "data": ["Analytics", "Data", "Insights", "AI"],
    "design": ["Studio", "Design", "Creative"],
    "product": ["Technologies", "Labs", "Apps"],
    "marketing": ["Media", "Agency", "Brands", "Communications"],
    "sales": ["Solutions", "Group", "Industries"],
    "finance": ["Capital", "Partners", "Financial Services", "Holdings"],
    "nursing": ["Medical Center", "Health", "Community Hospital", "Clinic"],
    "teaching": ["High School", "Academy", "Primary School", "College"],
    "hr": ["Group", "Consulting", "Industries"],
    "operations": ["Logistics", "Distribution", "Manufacturing", "Supply Co."],
    "legal": ["Legal", "Law Group", "& Partners"],
    "mechanical": ["Engineering", "Manufacturing", "Motion", "Industries"],
    "civil": ["Construction", "Consulting Engineers", "Infrastructure"],
    "research": ["Institute", "Research Centre"],
    "hospitality": ["Hotel", "Resort & Spa", "Restaurant Group", "Hospitality"],
}
LEGAL_FORM = {
    "en_US": ["Inc.", "LLC", "Corp.", ""],
    "en_GB": ["Ltd", "plc", ""],
    "de_DE": ["GmbH", "AG", "SE"],
    "fr_FR": ["SAS", "SA", ""],
    "es_ES": ["S.L.", "S.A."],
    "it_IT": ["S.p.A.", "S.r.l."],
    "pt_BR": ["Ltda.", "S.A."],
    "nl_NL": ["B.V.", "N.V."],
    "en_IN": ["Pvt. Ltd.", "Ltd.", ""],
    "en_CA": ["Inc.", "Ltd.", ""],
    "en_AU": ["Pty Ltd", ""],
    "sv_SE": ["AB"],
    "pl_PL": ["Sp. z o.o.", "S.A."],
    "es_MX": ["S.A. de C.V.", ""],
}
NO_FORM = {"nursing", "teaching", "research", "hospitality"}

SUMMARY_TEMPLATES = [
    "{adj} {title_l} with {years}+ years of experience in {focus}. {trait}",
    "{title} specialising in {focus}. {trait} {goal}",
    "I am a {title_l} with {years} years of experience in {focus}. {trait}",
    "{adj} professional with a background in {field} and {years} years of hands-on work in {focus}. {trait} {goal}",
    "{title} | {focus} | {years}+ years. {trait}",
    "Over {years} years of experience in {focus}, most recently as {title_a} at {company}. {trait}",
]
JUNIOR_SUMMARIES = [
    "Recent {field} graduate with internship experience in {focus}. {trait} {goal}",
    "Motivated {title_l} eager to grow in {focus}. {trait}",
    "Early-career {title_l} with a strong foundation in {field}. {goal}",
]
ADJECTIVES = [
    "Results-driven",
    "Detail-oriented",
    "Experienced",
    "Versatile",
    "Pragmatic",
    "Hands-on",
    "Analytical",
    "Creative",
    "Dedicated",
    "Customer-focused",
    "Collaborative",
]
TRAITS = [
    "Known for turning ambiguous problems into clear plans.",
    "Comfortable working with both executives and front-line teams.",
    "Strong communicator who enjoys mentoring others.",
    "Track record of delivering measurable results on tight deadlines.",
    "Passionate about quality, clear documentation and continuous improvement.",
    "Calm under pressure and organised in fast-paced environments.",
    "Brings a data-informed, user-centred approach to every project.",
    "Equally at home in the detail and in the big picture.",
    "Has built and led teams of up to 15 people.",
    "Enjoys simplifying processes that have grown complicated over time.",
    "Works well across time zones with distributed teams.",
    "Believes in clear written communication and short feedback loops.",
    "Fluent in translating business goals into practical plans.",
    "Thrives in small teams where everyone owns outcomes.",
]
GOALS = [
    "Looking for a role where I can take on more ownership.",
    "Seeking a senior position in a mission-driven organisation.",
    "Open to relocation.",
    "Currently seeking new opportunities in {city}.",
    "Interested in hybrid or remote roles.",
]

LINK_KINDS = {
    "software": ["linkedin", "github", "site", "gitlab", "stackoverflow", "blog"],
    "data": ["linkedin", "github", "kaggle", "site", "blog"],
    "design": ["linkedin", "behance", "dribbble", "site"],
    "research": ["scholar", "orcid", "linkedin", "site", "github"],
    "marketing": ["linkedin", "twitter", "site", "blog"],
    "product": ["linkedin", "site", "twitter", "blog"],
}


NO_SKILLS_SHARE = 0.06
"""Experienced people (lawyers, executives, academics) often list no skills section; the truth's skills are then
empty, and a publication or a bar admission must not be taken for one."""


def _pick_weighted(rng: random.Random, weights: dict[str, int]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _name(rng: random.Random, locale: str) -> tuple[str, str, str]:
    fk = _faker(locale)
    fk.seed_instance(rng.getrandbits(32))
    first, last = fk.first_name(), fk.last_name()
    if locale in ("es_ES", "es_MX") and rng.random() < 0.5:
        last = f"{last} {fk.last_name()}"
    if rng.random() < 0.08:
        first = f"{first} {fk.first_name()[0]}."
    return f"{first} {last}", first, last


def _email(rng: random.Random, first: str, last: str, domains: Sequence[str]) -> str:
    f = ascii_fold(first.split()[0]).lower().replace("'", "")
    lparts = ascii_fold(last).lower().replace("'", "").split()
    lj = "".join(lparts).replace("-", "")
    ld = "-".join(lparts)
    nn = rng.randint(1, 99)
    user = rng.choice(
        [
            f"{f}.{lj}",
            f"{f}{lj}",
            f"{f[0]}.{lj}",
            f"{f}_{lj}",
            f"{f}.{lj}{nn}",
            f"{lj}.{f}",
            f"{f}{nn}",
            f"{f[0]}{lj}",
            f"{f}-{ld}",
            f"{f}.{lj}.{rng.randint(1980, 2003)}",
        ]
    )
    if rng.random() < 0.08:
        return f"{rng.choice(['hello', 'contact', 'me', f])}@{lj}.{rng.choice(['dev', 'com', 'io', 'me'])}"
    if rng.random() < 0.05:
        user = user.capitalize()
    return f"{user}@{rng.choice(domains)}"


def _phone(rng: random.Random, formats: Sequence[str]) -> str:
    fmt = rng.choice(formats).strip()
    out = "".join(str(rng.randint(0, 9)) if ch == "#" else ch for ch in fmt)
    if out[0] in "(0" or out.startswith("+"):
        return out
    return out


_ID_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijk0123456789"


def _links(rng: random.Random, occupation: str, first: str, last: str) -> list[tuple[str, str]]:
    kinds = LINK_KINDS.get(occupation, ["linkedin", "site"])
    n = rng.choices([0, 1, 2, 3, 4, 5], weights=[20, 30, 25, 14, 8, 3])[0]
    chosen = ["linkedin"] if n and rng.random() < 0.85 else []
    chosen += [k for k in rng.sample(kinds, len(kinds)) if k not in chosen][: max(0, n - len(chosen))]
    f, lj = ascii_fold(first.split()[0]).lower(), ascii_fold(last).lower().replace(" ", "").replace("'", "")
    handle = rng.choice([f"{f}{lj}", f"{f}-{lj}", f"{f[0]}{lj}", f"{lj}{f[0]}", f"{f}{lj}{rng.randint(1, 99)}"])
    scheme = rng.choice(["", "", "https://", "https://www.", "www."])
    links = []
    for kind in chosen:
        url = {
            "linkedin": f"linkedin.com/in/{handle}"
            + rng.choice(["", "", f"-{rng.randint(10, 999)}a{rng.randint(1, 9)}"]),
            "github": f"github.com/{handle}",
            "gitlab": f"gitlab.com/{handle}",
            "site": rng.choice([f"{f}{lj}.dev", f"{f}{lj}.com", f"{handle}.github.io", f"{f}.{lj}.me"]),
            "blog": rng.choice([f"medium.com/@{handle}", f"{handle}.substack.com", f"dev.to/{handle}"]),
            "kaggle": f"kaggle.com/{handle}",
            "stackoverflow": f"stackoverflow.com/users/{rng.randint(100000, 9999999)}/{handle}",
            "behance": f"behance.net/{handle}",
            "dribbble": f"dribbble.com/{handle}",
            "twitter": rng.choice([f"twitter.com/{handle}", f"x.com/{handle}"]),
            "scholar": f"scholar.google.com/citations?user={''.join(rng.choices(_ID_CHARS, k=12))}",
            "orcid": f"orcid.org/0000-000{rng.randint(1, 3)}-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}",
        }[kind]
        if kind in ("scholar", "orcid", "blog", "stackoverflow"):
            url = ("https://" if rng.random() < 0.5 else "") + url
        else:
            url = scheme + url if scheme != "www." or kind == "site" else url
        links.append((kind, url))
    return links


def _company(rng: random.Random, occ: C.Occupation, locale: str, used: set[str]) -> str:
    for _ in range(20):
        if rng.random() < 0.55:
            name = rng.choice(occ.employers)
        else:
            name = f"{rng.choice(COMPANY_STEMS)} {rng.choice(COMPANY_KINDS[occ.key])}"
            form = "" if occ.key in NO_FORM else rng.choice(LEGAL_FORM[locale])
            if form:
                name = f"{name}{',' if rng.random() < 0.2 and form in ('Inc.', 'LLC') else ''} {form}"
        if name not in used:
            used.add(name)
            return name
    return name


def _bullets(rng: random.Random, occ: C.Occupation, count: int, used: set[str], currency: str) -> list[str]:
    actions = C.ACTIONS[occ.key]
    out: list[str] = []
    for _ in range(count * 5):
        if len(out) >= count:
            break
        kind = rng.random()
        if kind < 0.1 and occ.plain_bullets:
            text = rng.choice(occ.plain_bullets)
            if text not in used:
                used.add(text)
                out.append(text)
            continue
        action = rng.choice(actions)
        if action in used:
            continue
        used.add(action)
        method = rng.choice(occ.methods)
        fresh_outcomes = [o for o in occ.outcomes if o not in used] or occ.outcomes
        outcome = rng.choice(fresh_outcomes)
        if kind < 0.48:
            used.add(outcome)
        if kind < 0.26:
            text = f"{action} {method}, {outcome}"
        elif kind < 0.48:
            text = f"{action}, {outcome}"
        elif kind < 0.66:
            text = f"{action} {method}"
        elif kind < 0.8:
            text = action
        else:
            free = [a for a in actions if a not in used]
            if not free:
                continue
            second = rng.choice(free)
            used.add(second)
            text = f"{action} {method}, {outcome}; also {second[0].lower()}{second[1:]}"
            if rng.random() < 0.5:
                text += f", {rng.choice([o for o in occ.outcomes if o != outcome])}"
        out.append(fill(text, rng, currency))
    return out


NEIGHBOURS = {
    "software": ("data", "product"),
    "data": ("software", "research"),
    "design": ("product",),
    "product": ("design", "data", "marketing"),
    "marketing": ("sales", "design"),
    "sales": ("marketing",),
    "finance": ("operations",),
    "operations": ("finance",),
    "mechanical": ("civil",),
    "civil": ("mechanical",),
    "research": ("data",),
    "teaching": ("research",),
}


def _skills(rng: random.Random, occ: C.Occupation, student: bool = False) -> list[tuple[str, list[str]]]:
    size = "tiny" if student else rng.choices(["short", "typical", "long", "huge"], weights=[25, 48, 21, 6])[0]
    total = {
        "tiny": rng.randint(3, 8),
        "short": rng.randint(5, 11),
        "typical": rng.randint(12, 28),
        "long": rng.randint(29, 60),
        "huge": rng.randint(60, 100),
    }[size]
    groups = [(label, list(items)) for label, items in occ.skill_groups.items() if items]
    # Neighbouring occupations lend a group (a data person lists software tools and the reverse).
    for other_key in NEIGHBOURS.get(occ.key, ()):
        other = C.OCCUPATIONS[other_key]
        if rng.random() < 0.2:
            label, items = rng.choice(list(other.skill_groups.items()))
            groups.append((label, list(items)))
    groups.append((rng.choice(C.SOFT_SKILL_GROUP_LABELS), list(C.GENERAL_SKILLS)))
    seen: set[str] = set()
    picked: list[tuple[str, list[str]]] = []
    available = sum(len(items) for _, items in groups)
    total = min(total, available)
    share = [max(1, round(total * len(items) / available)) for _, items in groups]
    for (label, items), k in zip(groups, share, strict=True):
        chosen = [s for s in rng.sample(items, min(k, len(items))) if s.lower() not in seen]
        seen.update(s.lower() for s in chosen)
        if chosen:
            picked.append((label, chosen))
    # merge duplicate labels (a borrowed group can share a label)
    merged: dict[str, list[str]] = {}
    for label, items in picked:
        merged.setdefault(label, []).extend(items)
    return list(merged.items())


def _degree(rng: random.Random, occ: C.Occupation, field_name: str, level: str, locale: C.Locale) -> tuple[str, str]:
    if level == "bachelor":
        if occ.key == "nursing" and rng.random() < 0.7:
            key = "nursing"
        elif occ.key == "legal" and rng.random() < 0.6:
            key = "law"
        elif field_name in C.ENG_FIELDS:
            key = "bachelor_eng" if rng.random() < 0.6 else "bachelor_sci"
        elif field_name in C.ARTS_FIELDS:
            key = "bachelor_art"
        else:
            key = "bachelor_sci"
        if locale.faker == "en_US" and key == "bachelor_eng":
            key = "bachelor_sci"
        if key == "nursing":
            return C.DEGREES["nursing"][0 if rng.random() < 0.8 else 1]
        if key == "law":
            return C.DEGREES["law"][0 if locale.degree_style != "us" else 1]
        return rng.choice(C.DEGREES[key])
    if level == "master":
        if occ.key in ("product", "finance", "sales", "marketing", "operations", "hr") and rng.random() < 0.5:
            return C.DEGREES["mba"][0]
        if occ.key == "nursing":
            return C.DEGREES["nursing"][2]
        if occ.key == "legal":
            return C.DEGREES["law"][2]
        return rng.choice(C.DEGREES["master_art" if field_name in C.ARTS_FIELDS else "master_sci"])
    if level == "phd":
        return rng.choice(C.DEGREES["phd"])
    return rng.choice(C.DEGREES["associate"])


def _pick_lang(rng: random.Random, locale: str, occupation: str, localisable: bool) -> I.Lang | None:
    """The local language a resume from ``locale`` is written in, or ``None`` for English."""
    code = I.LOCALE_LANGUAGE.get(locale)
    if not (localisable and code and occupation in I.LANGS[code].titles):
        return None
    return I.LANGS[code] if rng.random() < I.LOCALISED_SHARE else None


def _job_company(
    rng: random.Random, occ: C.Occupation, locale: str, used: set[str], jobs: list[Job], lang: I.Lang | None
) -> str:
    """A new employer; sometimes self-employment, or the previous (older) role's employer: a promotion."""
    if jobs and rng.random() < 0.1 and jobs[-1].company not in SELF_EMPLOYED:
        return jobs[-1].company
    if rng.random() < 0.05:
        return rng.choice(lang.self_employed if lang else ["Self-employed", "Freelance", "Independent Consultant"])
    return _company(rng, occ, locale, used)


SELF_EMPLOYED = {"Self-employed", "Freelance", "Independent Consultant"} | {
    x for lang in I.LANGS.values() for x in lang.self_employed
}


def _local_languages(rng: random.Random, lang: I.Lang, native: str) -> list[tuple[str, str]]:
    names = lang.language_names
    out = [(names[native], rng.choice(lang.native))]
    others = [n for k, n in names.items() if k not in (native, "English")]
    out.append((names["English"], rng.choice(lang.levels)))
    for name in rng.sample(others, rng.choice([0, 0, 1, 1, 2])):
        out.append((name, rng.choice(lang.levels)))
    return out


def make_profile(
    rng: random.Random,
    occupation: str | None = None,
    seniority: str | None = None,
    locale: str | None = None,
    localisable: bool = True,
) -> Profile:
    """Draw one person. Every optional part (summary, phone, projects …) is sometimes absent.

    ``localisable`` allows a German, French, Spanish or Portuguese locale to write the whole
    resume in its language (layouts with English form labels pass ``False``).
    """
    occ = C.OCCUPATIONS[occupation or rng.choice(C.OCCUPATION_KEYS)]
    seniority = seniority or _pick_weighted(rng, SENIORITY_WEIGHTS)
    if occ.key == "research" and seniority == "junior" and rng.random() < 0.5:
        seniority = "mid"
    loc = C.LOCALES[locale or _pick_weighted(rng, C.LOCALE_WEIGHTS)]
    lang = _pick_lang(rng, loc.faker, occ.key, localisable)
    student = seniority == "junior" and rng.random() < 0.2
    currency = CURRENCY.get(loc.faker, "€")
    name, first, last = _name(rng, loc.faker)
    city, region = rng.choice(loc.cities)

    # --- career, newest first
    verbose = not student and rng.random() < 0.35  # long resumes: more bullets, projects and volunteering
    lo, hi = CAREER_YEARS[seniority]
    years = rng.randint(lo, hi)
    n_jobs = rng.randint(0, 1) if student else rng.randint(*JOB_COUNT[seniority])
    if not student and rng.random() < LONG_CAREER_SHARE.get(seniority, 0.0):
        n_jobs = rng.randint(*LONG_CAREER_JOBS)
    jobs: list[Job] = []
    used_companies: set[str] = set()
    end: tuple[int, int] | None = None
    cursor = REFERENCE
    if rng.random() < 0.18:  # currently between jobs: a gap at the top
        cursor = _ym_add(REFERENCE, -rng.randint(2, 14))
        end = cursor
    months_left = max(8, years * 12)
    level = LADDER.index(seniority)
    for i in range(n_jobs):
        share = months_left // (n_jobs - i)
        duration = max(4, min(share + rng.randint(-8, 10), 96))
        if i == n_jobs - 1:
            duration = max(4, months_left)
        start = _ym_add(cursor, -duration)
        title_level = LADDER[max(0, level - (1 if i >= 1 and rng.random() < 0.6 else 0) - (1 if i >= 3 else 0))]
        level = LADDER.index(title_level)
        title = rng.choice(lang.titles[occ.key] if lang else occ.titles[title_level])
        if seniority == "junior" and i == n_jobs - 1 and rng.random() < 0.5:
            title = rng.choice(
                lang.intern_titles
                if lang
                else [
                    f"{occ.titles['junior'][0]} Intern",
                    "Intern",
                    f"{occ.titles['mid'][0]} Intern",
                    "Summer Intern",
                    "Working Student",
                ]
            )
            duration = min(duration, rng.randint(3, 6))
            start = _ym_add(cursor, -duration)
        company = _job_company(rng, occ, loc.faker, used_companies, jobs, lang)
        if jobs and company == jobs[-1].company and title == jobs[-1].title:  # a promotion changes the title
            older = [t for t in (lang.titles[occ.key] if lang else occ.titles[LADDER[max(0, level - 1)]]) if t != title]
            title = rng.choice(older or [f"Junior {title}"])
        jcity, jregion = (city, region) if rng.random() < 0.6 else rng.choice(loc.cities)
        location = rng.choice([f"{jcity}, {jregion}", jcity, f"{jcity}, {jregion}", "Remote"])
        if (
            jregion in ("UK", "Germany", "France", "Spain", "Italy", "Netherlands", "Sweden", "Poland")
            and rng.random() < 0.5
        ):
            location = jcity
        n_bullets = rng.choice(
            [[3, 4, 4, 5, 5, 6, 7], [2, 3, 4, 4, 5, 6], [1, 2, 3, 4, 5]][i] if i < 3 else [0, 1, 2, 2, 3]
        )
        if seniority == "junior":
            n_bullets = min(n_bullets, rng.randint(1, 4))
        if verbose:
            n_bullets += rng.randint(1, 3)
        if student:
            n_bullets = min(n_bullets, 2)
        if i >= 6:  # a long career's oldest roles get a line or none, as on a real page
            n_bullets = min(n_bullets, rng.randint(0, 1))
        bullets = (
            [fill(b, rng, currency) for b in rng.sample(lang.bullets, min(n_bullets, len(lang.bullets)))]
            if lang
            else _bullets(rng, occ, n_bullets, set(), currency)
        )
        jobs.append(Job(company, title, location, start, end, bullets))
        gap = rng.choice([0, 0, 0, 1, 1, 2, 3]) if rng.random() > 0.08 else rng.randint(10, 24)
        months_left -= duration + gap
        cursor = _ym_add(start, -gap)
        end = cursor
        if months_left < 4:
            break

    # --- education
    schools: list[School] = []
    grad = _ym_add(jobs[-1].start if jobs else REFERENCE, -rng.randint(0, 5)) if jobs else REFERENCE
    grad = (grad[0], rng.choice([5, 6, 6, 7, 12]))
    field_name = rng.choice(occ.fields)
    levels = ["bachelor"]
    if occ.key == "research" and seniority != "junior":
        levels = ["phd", "master", "bachelor"] if rng.random() < 0.7 else ["phd", "bachelor"]
    elif rng.random() < {"junior": 0.15, "mid": 0.3, "senior": 0.35, "lead": 0.4, "executive": 0.5}[seniority]:
        levels = ["master", "bachelor"]
    if loc.faker == "en_US" and occ.key in ("nursing", "operations") and rng.random() < 0.25:
        levels = ["associate"]
    if student:
        levels = ["bachelor"]
    expected = seniority == "junior" and rng.random() < (0.6 if student else 0.12)
    if expected:
        grad = (REFERENCE[0] + rng.randint(0, 1), rng.choice([5, 6, 12]))
    end_ym = grad
    for lvl in levels:
        length = {"phd": 4, "master": rng.choice([1, 2]), "bachelor": rng.choice([3, 4]), "associate": 2}[lvl]
        inst = (
            rng.choice(loc.universities)
            if rng.random() < 0.92
            else rng.choice(C.LOCALES[rng.choice(list(C.LOCALES))].universities)
        )
        fld = field_name if lvl != "master" or rng.random() < 0.6 else rng.choice(occ.fields)
        deg_short, deg_long = _degree(rng, occ, fld, lvl, loc)
        gpa = None
        if not lang and rng.random() < 0.25:
            gpa = rng.choice(
                [
                    f"{rng.uniform(3.0, 4.0):.2f}/4.0",
                    f"{rng.uniform(3.0, 4.0):.1f}",
                    f"{rng.uniform(1.0, 2.5):.1f}",
                    f"{rng.uniform(7.0, 9.8):.2f}/10",
                    rng.choice(["First Class Honours", "2:1", "summa cum laude", "magna cum laude"]),
                ]
            )
        notes: list[str] = []
        if not lang and not student and rng.random() < 0.3:
            tmpl = rng.choice(C.SCHOOL_NOISE)
            picks = rng.sample(sorted({s for g in occ.skill_groups.values() for s in g} | set(occ.fields)), 3)
            notes.append(
                tmpl.format(
                    a=picks[0],
                    b=picks[1],
                    c=picks[2],
                    topic=rng.choice(C.THESIS_TOPICS),
                    uni=rng.choice(C.LOCALES["en_GB"].universities),
                    club=rng.choice(C.CLUBS),
                )
            )
        start = (end_ym[0] - length, rng.choice([8, 9, 9, 10]))
        schools.append(School(inst, deg_short, deg_long, fld, start, end_ym, gpa, notes, expected and lvl == levels[0]))
        end_ym = (start[0] - rng.choice([0, 0, 1, 2]), rng.choice([5, 6, 7]))
        expected = False
    if rng.random() < 0.06 and not student:
        schools = []

    # --- projects, certifications, languages, extras
    projects: list[Proj] = []
    proj_p = 0.55 if occ.projects else 0.0
    if occ.key in ("software", "data", "design") and seniority == "junior":
        proj_p = 0.85
    if student and occ.projects:
        proj_p = 0.8  # often a student's only work on the page; the truth keeps them out of experience
    if verbose and occ.projects:
        proj_p = 0.9
    if lang:
        proj_p = 0.0  # project descriptions are English text
    if rng.random() < proj_p:
        n_proj = rng.randint(1, 2) if student else rng.randint(1, 4)
        for pname, desc, techs in rng.sample(occ.projects, min(len(occ.projects), n_proj)):
            projects.append(Proj(pname, fill(desc, rng, currency), list(techs)))
    certs: list[tuple[str, int | None]] = []
    if not student and rng.random() < 0.45:
        for cert in rng.sample(occ.certifications, min(len(occ.certifications), rng.randint(1, 4))):
            certs.append(
                (cert, rng.randint(REFERENCE[0] - max(years, 2), REFERENCE[0]) if rng.random() < 0.5 else None)
            )
    languages: list[tuple[str, str]] = []
    english_locale = loc.faker in ("en_US", "en_GB", "en_AU", "en_CA")
    if lang and rng.random() < 0.85:
        languages = _local_languages(rng, lang, C.LANGUAGE_BY_LOCALE[loc.faker])
    elif not lang and rng.random() < (0.3 if english_locale else 0.75):
        native = C.LANGUAGE_BY_LOCALE[loc.faker]
        languages.append((native, "Native"))
        for other in rng.sample(C.OTHER_LANGUAGES, rng.randint(0, 3)):
            if other != native and all(other != x for x, _ in languages):
                languages.append((other, rng.choice(C.LANGUAGE_LEVELS[1:])))
        if native != "English" and all(x != "English" for x, _ in languages):
            languages.insert(1, ("English", rng.choice(["Fluent", "C1", "C2", "Professional working proficiency"])))
    volunteer = []
    if not student and rng.random() < (0.5 if verbose else 0.2):
        for org, role, desc in rng.sample(lang.volunteer if lang else C.VOLUNTEER, rng.randint(1, 2)):
            volunteer.append((org, role, fill(desc, rng), rng.randint(REFERENCE[0] - 8, REFERENCE[0])))
    memberships = (
        [m.format(city=city) for m in rng.sample(lang.memberships if lang else C.MEMBERSHIPS, rng.randint(1, 2))]
        if not student and rng.random() < 0.12
        else []
    )
    awards = (
        [
            a.format(year=rng.randint(REFERENCE[0] - years - 1, REFERENCE[0]), city=city, q=rng.randint(1, 4))
            for a in rng.sample(C.AWARDS, rng.randint(1, 3))
        ]
        if not (lang or student) and rng.random() < 0.2
        else []
    )
    interests = rng.sample(lang.interests if lang else C.INTERESTS, rng.randint(2, 5)) if rng.random() < 0.25 else []
    publications: list[str] = []
    if lang or student:
        pass
    elif occ.key == "research" or (occ.key in ("data", "mechanical") and rng.random() < 0.1):
        for _ in range(rng.randint(1, 5) if occ.key == "research" else 1):
            publications.append(
                rng.choice(C.PUBLICATIONS).format(
                    last=ascii_fold(last).split()[0],
                    initial=first[0],
                    year=rng.randint(REFERENCE[0] - years - 2, REFERENCE[0]),
                    title=rng.choice(C.PUB_TITLES),
                    venue=rng.choice(C.VENUES),
                )
            )

    current_title = jobs[0].title if jobs else (lang.titles[occ.key][0] if lang else occ.titles[seniority][0])
    focus = rng.choice(occ.summary_focus)
    goals = [g for g in GOALS if seniority != "junior" or "senior" not in g]
    summary = None
    if lang and rng.random() < 0.6:
        summary = rng.choice(lang.summaries).format(title=current_title, years=max(years, 2))
    elif not lang and rng.random() < (0.25 if student else 0.72):
        templates = JUNIOR_SUMMARIES if seniority == "junior" else SUMMARY_TEMPLATES
        article = "an" if current_title[0] in "AEIOU" else "a"
        summary = (
            rng.choice(templates)
            .format(
                adj=rng.choice(ADJECTIVES),
                title=current_title,
                title_l=current_title,
                title_a=f"{article} {current_title}",
                years=max(years, 1),
                focus=focus,
                field=field_name,
                company=jobs[0].company if jobs else "my last employer",
                trait=rng.choice(TRAITS),
                goal=rng.choice(goals).format(city=city),
            )
            .strip()
        )
        if rng.random() < 0.5:
            extra = rng.sample([t for t in TRAITS if t not in summary], 2)
            summary += " " + " ".join(extra[: rng.randint(1, 2)])
        if rng.random() < 0.35:
            strengths = rng.sample([s for _, items in occ.skill_groups.items() for s in items], 3)
            summary += f" Core strengths include {strengths[0]}, {strengths[1]} and {strengths[2]}."
        if rng.random() < 0.4 and jobs and jobs[0].bullets:
            line = jobs[0].bullets[0]
            summary += f" Most recently: {line[0].lower()}{line[1:].rstrip('.')}."
        goal = rng.choice(goals).format(city=city)
        if rng.random() < 0.3 and goal not in summary:
            summary += " " + goal
    headline = rng.choice([current_title, f"{current_title} | {focus.title()}", occ.titles[seniority][-1]])
    if lang:
        headline = current_title
    skill_groups = _skills(rng, occ, student)
    if lang:  # the soft-skill group in the resume's language
        skill_groups = [g for g in skill_groups if g[0] not in C.SOFT_SKILL_GROUP_LABELS]
        skill_groups.append((lang.soft_skills[0], rng.sample(lang.soft_skills[1], rng.randint(2, 4))))
    if jobs and not student and rng.random() < NO_SKILLS_SHARE:
        skill_groups = []
    return Profile(
        occupation=occ.key,
        seniority=seniority,
        locale=loc.faker,
        name=name,
        first=first,
        last=last,
        email=_email(rng, first, last, loc.email_domains),
        phone=_phone(rng, loc.phone_formats) if rng.random() < 0.88 else None,
        city=city,
        region=region,
        country=loc.country,
        links=_links(rng, occ.key, first, last),
        headline=headline,
        summary=summary,
        jobs=jobs,
        schools=schools,
        projects=projects,
        skill_groups=skill_groups,
        certs=certs,
        languages=languages,
        volunteer=volunteer,
        awards=awards,
        interests=interests,
        publications=publications,
        references=rng.choice(lang.references if lang else C.REFERENCES) if rng.random() < 0.15 else None,
        memberships=memberships,
        years=years,
        currency=currency,
        lang=lang,
        student=student,
    )


# --- public API ---------------------------------------------------------------------------------

ENGLISH_FORM_LAYOUTS = ("label_value", "compact_pipe")
"""Layouts with English form labels ("Designation:", "SKILLS:"), never written in another language."""


def generate_resume(
    seed: int, index: int, *, layouts: Sequence[str] | None = None, occupations: Sequence[str] | None = None
) -> SyntheticResume:
    """Resume number ``index`` of the stream ``seed``: the same arguments give the same resume."""
    rng = random.Random(f"griller:{seed}:{index}")
    occupation = rng.choice(list(occupations)) if occupations else None
    layout = rng.choice(list(layouts or LAYOUTS))
    profile = make_profile(rng, occupation=occupation, localisable=layout not in ENGLISH_FORM_LAYOUTS)
    info: dict[str, Any] = {}
    text, truth = render(profile, layout, rng, info)
    meta = {
        "resume_id": f"syn-{seed}-{index:06d}",
        "source": "synthetic",
        "occupation": profile.occupation,
        "layout": layout,
        "seniority": profile.seniority,
        "locale": profile.locale,
        "date_style": info["date_style"],
        "language": profile.lang.code if profile.lang else "en",
    }
    return SyntheticResume(text=text, truth=truth, meta=meta)


def generate_resumes(
    n: int,
    seed: int = 0,
    *,
    start: int = 0,
    layouts: Sequence[str] | None = None,
    occupations: Sequence[str] | None = None,
) -> Iterator[SyntheticResume]:
    for index in range(start, start + n):
        yield generate_resume(seed, index, layouts=layouts, occupations=occupations)
