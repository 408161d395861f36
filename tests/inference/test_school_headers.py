from __future__ import annotations

from ml.inference.grounding import ground
from ml.inference.school_headers import grades_read, schools_by_blocks, schools_by_lines, schools_from_layout
from ml.schema import Education, ParsedResume

MACCHIATO_SCHOOLS = (
    "Education\n\n"
    "Universidad Inacap 01/2020 - 01/2024\nIngeniería Ingeniería en Informática\n\n"
    "• TIDS01 - Fundamentos de Programación\n\n"
    "Colegio San Damián de Molokai 01/2018 - 01/2019\nTécnico Técnico medio en telecomunicaciones\n\n"
    "Skills\nPython\n"
)


def test_a_school_the_model_left_out_is_read_where_its_other_school_stands() -> None:
    """v10 read the first school of a section and stopped; the one it read shows where a school's name and degree
    stand beside its dates (a course list between them is no school's line)."""
    first = Education(institution="Universidad Inacap", degree="Ingeniería", start_date="2020-01", end_date="2024-01")
    grounded = ground(ParsedResume(education=[first]), MACCHIATO_SCHOOLS)
    schools = [(s.institution, s.degree, s.field, s.start_date) for s in grounded.resume.education]
    assert schools == [
        ("Universidad Inacap", "Ingeniería", "Ingeniería en Informática", "2020-01"),  # its block read whole
        ("Colegio San Damián de Molokai", "Técnico", "Técnico medio en telecomunicaciones", "2018-01"),
    ]


def test_no_school_is_read_from_a_layout_the_model_did_not_show() -> None:
    """No school read in place, two that disagree, or values on both sides of the dates (another school's lines
    taken for this one's): nothing is added."""
    lines = MACCHIATO_SCHOOLS
    unplaced = [{"institution": "Inacap", "degree": None, "start_date": "2020-01", "end_date": "2024-01"}]
    assert schools_from_layout(unplaced, lines, []) == unplaced
    text = (
        "Diplômes\nFormation professionnelle, Cybersécurité — Tech In France\njuillet 2025 – Aujourd'hui\n"
        "Licence, Information — IUT de Champs-sur-Marne\njanvier 2006 – décembre 2007\n"
        "Baccalauréat, Sciences — Lycée Colomb\njanvier 2002 – décembre 2002\n"
    )
    school = {"institution": "Tech In France", "degree": "Licence, Information"}  # the next school's line
    misread = [{**school, "start_date": "2025-07", "end_date": "present"}]
    assert schools_from_layout(misread, text, []) == misread


def test_a_teaching_post_or_a_grade_line_is_no_school() -> None:
    """Lines of an education section that are dated or sit where a degree would, but name no school or no degree."""
    text = (
        "Education\nStanford University 2014 - 2018\nBSc Computer Science\n"
        "Teaching Assistant, CS106A 2016 - 2017\nGPA 3.9/4.0\n"
        "University of Waterloo 2012 - 2014\nGPA: 3.8/4.0\n"
    )
    first = {"institution": "Stanford University", "degree": "BSc", "start_date": "2014", "end_date": "2018"}
    assert schools_from_layout([first], text, []) == [first]


CHRONICLE_SCHOOLS = (
    "FORMACIÓN ACADÉMICA\n\n"
    "11/2023 - 12/2023\nFundación Escuela Tecnológica de Neiva - FET\nDiplomado · Docencia Universitaria\n"
    "Nota media 4.0\n\n"
    "08/2021 - 09/2021\nInstitución Universitaria Antonio Jose Camacho\nDiplomado · Business Intelligence\n"
    "Nota media 4.0\n\n"
    "01/2012 - 12/2014\nServicio Nacional de Aprendizaje - SENA\nTécnico · Técnico en Computacion\n\n"
    "HABILIDADES\nPython\n"
)


def test_a_section_of_dated_blocks_gives_the_schools_the_model_left_out() -> None:
    """Where the model's schools show no layout (its one school's name cut, no degree), a section made of blocks,
    each opened by its dates and naming one school, gives the schools no entry has: its school, its degree and
    the field beside it; a block naming no school ("Servicio Nacional de Aprendizaje") gives none."""
    broken = {"institution": "Fundación Escuela", "degree": None, "start_date": "2023-11", "end_date": "2023-12"}
    read = schools_by_blocks([broken], CHRONICLE_SCHOOLS, [])
    assert [(s["institution"], s["degree"], s.get("field"), s["start_date"]) for s in read] == [
        (
            "Fundación Escuela Tecnológica de Neiva - FET",
            "Diplomado",
            "Docencia Universitaria",
            "2023-11",
        ),  # its block's
        ("Institución Universitaria Antonio Jose Camacho", "Diplomado", "Business Intelligence", "2021-08"),
    ]
    grade_only = CHRONICLE_SCHOOLS.replace("Diplomado · Business Intelligence\n", "")
    assert schools_by_blocks([broken], grade_only, []) == [broken]  # a school and its grade: no degree
    two = CHRONICLE_SCHOOLS.replace("Diplomado · Business", "Colegio Mayor · Business")
    assert schools_by_blocks([broken], two, []) == [broken]  # two schools named in one block


def test_the_models_school_is_read_as_its_block_writes_it_where_it_is_that_block_s() -> None:
    """v10 on the chronicle layout: the school's name as its degree, no school; a cut name. Read from the block of
    the same dates where one of the model's values is one of the block's; a school of two blocks' dates takes one,
    and the other block is a school too; a degree and field the model parted out of one cell stay parted."""
    twice = CHRONICLE_SCHOOLS.replace(
        "01/2012 - 12/2014\nServicio",
        "08/2021 - 09/2021\nColegio Mayor\nDiplomado · Big Data\n\n01/2012 - 12/2014\nServicio",
    )
    model = [
        {
            "institution": "Fundación Escuela",
            "degree": None,
            "field": "Diplomado",
            "start_date": "2023-11",
            "end_date": "2023-12",
        },
        {
            "institution": None,
            "degree": "Institución Universitaria",
            "field": None,
            "start_date": "2021-08",
            "end_date": "2021-09",
        },
    ]
    read = schools_by_blocks(model, twice, [])
    assert [(s["institution"], s["degree"], s["field"]) for s in read] == [
        ("Fundación Escuela Tecnológica de Neiva - FET", "Diplomado", "Docencia Universitaria"),
        ("Institución Universitaria Antonio Jose Camacho", "Diplomado", "Business Intelligence"),
        ("Colegio Mayor", "Diplomado", "Big Data"),  # the second block of those dates
    ]
    elsewhere = {**model[0], "institution": "Tech In France", "field": "Cybersécurité"}  # another block's, out of line
    assert schools_by_blocks([elsewhere], CHRONICLE_SCHOOLS, [])[0] == elsewhere
    one_cell = CHRONICLE_SCHOOLS.replace("Diplomado · Docencia Universitaria", "Diplomado Docencia Universitaria")
    parted = {**model[0], "degree": "Diplomado", "field": "Docencia Universitaria"}
    assert schools_by_blocks([parted], one_cell, [])[0]["degree"] == "Diplomado"


def test_blocks_are_read_the_way_they_run_and_only_as_schools_and_degrees() -> None:
    """A review's cases: schools above "degree dates" lines run backwards (Harvard is no MSc); a block whose school
    stands on another side in each block reads nothing; a place, a provider or a coursework label is no degree; a
    school the model wrote with years only is not added again."""
    above = (
        "Education\nMassachusetts Institute of Technology\nBSc Physics    2014 – 2018\n"
        "Stanford University\nMSc Computer Science    2018 – 2020\nHarvard University\nPhD Physics    2020 – 2024\n"
    )
    mit = {"institution": "Massachusetts Institute of Technology", "degree": "BSc", "start_date": "2014"}
    added = schools_by_blocks([mit], above, [])[1:]
    assert [(s["institution"], s["degree"]) for s in added] == [
        ("Stanford University", "MSc Computer Science"),
        ("Harvard University", "PhD Physics"),
    ]
    shifted = (
        "Education\nStanford University\n2018 – 2020\nMSc Computer Science\n"
        "Massachusetts Institute of Technology\n2014 – 2018\nBSc Physics\n"
    )
    stanford = {"institution": "Stanford University", "degree": "MSc", "start_date": "2018"}
    assert schools_by_blocks([stanford], shifted, []) == [stanford]
    noise = (
        "Education\nStanford University    Stanford, CA    2018 – 2020\nRelevant coursework: Optics, Lasers\n"
        "Coursera    2016 – 2017\nMachine Learning, Stanford University\n"
    )
    assert schools_by_blocks([], noise, []) == []
    again = "Education\nMIT\nBSc Physics\nSep 2014 – Jun 2018\nStanford University\nMSc Physics\nSep 2018 – Jun 2020\n"
    years = [{"institution": "MIT", "start_date": "2014"}, {"institution": "Stanford University", "end_date": "2020"}]
    assert schools_by_blocks(years, again, []) == years


def test_a_school_takes_the_grade_its_own_lines_write() -> None:
    """v10 left half the real grades out, and read one a school down (a stackoverflow PDF)."""
    text = (
        "Education\n01/2016 - 12/2019\nUniversidad del Caribe\nIngeniería · Ingeniería en Datos\nNota media 9.0\n\n"
        "2012 – 2014 · Colegio San Damián\nTécnico en telecomunicaciones\nGrade: 2,3\n\n"
        "Class of 2010   BA, Università Bocconi | GPA 2.2\n"
    )
    schools = [
        {"institution": "Universidad del Caribe", "start_date": "2016-01", "end_date": "2019-12", "gpa": "2.3"},
        {"institution": "Colegio San Damián", "start_date": "2012", "end_date": "2014", "gpa": "2.3"},
        {"institution": "Università Bocconi", "start_date": None, "end_date": "2010", "gpa": None},
    ]
    dropped: list[str] = []
    read = grades_read(schools, text, dropped)
    assert [school["gpa"] for school in read] == [
        "9.0",  # another school's grade read into it: its own
        "2,3",  # as written
        None,  # a single date: no range to anchor it (left as the model read it)
    ]
    assert dropped[0] == "education.gpa: 2.3 (its own lines write 9.0)"


def test_a_grade_is_not_taken_from_another_school_s_lines_nor_from_a_school_year() -> None:
    text = (
        "Education\nSchool A\n2016 - 2020\nSchool B\nMSc Data Science, GPA 3.7\n2020 - 2022\n"
        "Maple School  2012 - 2016\nCompleted Grade 12 with honours\n"
    )
    schools = [
        {"institution": "School A", "start_date": "2016", "end_date": "2020", "gpa": None},
        {"institution": "School B", "start_date": "2020", "end_date": "2022", "gpa": None},
        {"institution": "Maple School", "start_date": "2012", "end_date": "2016", "gpa": None},
    ]
    # B's grade written before its dates is no grade of A's; "Grade 12" is a school year
    assert [school["gpa"] for school in grades_read(schools, text, [])] == [None, None, None]


INLINE_SCHOOLS = (
    "EDUCACIÓN:\n"
    "Bachelor, Curso de especialización en Inteligencia Artificial, IES Maestre de Calatrava (2021-09 a 2022-05); "
    "Nota media 4.0\n"
    "Bachelor, FP Desarollo de Aplicaciones Multiplataforma, IES Julio Verne (2019-06 a 2021-06); Nota media 4.0\n"
    "Bachelor, Tecnólogo en Análisis de sistemas, SENA (ene 2017 a jun 2019)\n\n"
    "HABILIDADES: Python\n"
)


def test_schools_written_one_a_line_are_read_as_their_lines_write_them() -> None:
    """v10 on the inline layout: one of three schools, its field garbled ("CurSO"), or the first with no school and
    its month wrong. The columns are known by the words of most lines (SENA names no school)."""
    model = [
        {"institution": "IES Maestre de Calatrava", "degree": "Bachelor", "field": "CurSO"}
        | {"start_date": "2021-09", "end_date": "2022-05", "gpa": None},
        {"institution": "IES Julio Verne", "degree": "Bachelor", "field": None, "start_date": "2019-06"}
        | {"end_date": "2011-04", "gpa": None},  # read again, dated wrong
    ]
    read = schools_by_lines(model, INLINE_SCHOOLS, [])
    assert [(s["institution"], s["field"], s["start_date"], s["end_date"]) for s in read] == [
        ("IES Maestre de Calatrava", "Curso de especialización en Inteligencia Artificial", "2021-09", "2022-05"),
        ("IES Julio Verne", "FP Desarollo de Aplicaciones Multiplataforma", "2019-06", "2021-06"),
        ("SENA", "Tecnólogo en Análisis de sistemas", "2017-01", "2019-06"),
    ]
    months_off = [{**model[0], "institution": None, "start_date": "2021-03"}]  # its years and its degree: its line's
    assert schools_by_lines(months_off, INLINE_SCHOOLS, [])[0]["institution"] == "IES Maestre de Calatrava"
    prose = INLINE_SCHOOLS.replace("HABILIDADES", "I studied at night, while working (2015 - 2016).\nHABILIDADES")
    assert schools_by_lines(model, prose, []) == model  # a line of another shape: the section is not read so
    no_school = (
        "EDUCATION\nBachelor, Physics, Open Courses (2019 - 2021)\nMaster, Optics, Night Classes (2021 - 2023)\n"
    )
    assert schools_by_lines([], no_school, []) == []  # no column of schools' names


def test_block_and_line_rules_leave_a_right_reading_alone() -> None:
    """A review's cases: a grade beside the degree is no field; one of two degrees of one school and dates, or a
    school of another school's dates, is not rewritten as the other; a region's code is no degree; a school read
    with the years only is its line's and keeps its values."""
    graded = (
        "EDUCATION\n\nSep 2019 - Jun 2021\nStanford University\nMSc Computer Science | GPA: 3.9/4.0\n\n"
        "Sep 2015 - Jun 2019\nMassachusetts Institute of Technology\nBSc Mathematics | GPA: 3.8/4.0\n"
    )
    whole = [Education(institution="Stanford University", degree="MSc Computer Science", start_date="2019-09")]
    whole[0].end_date = "2021-06"
    assert ground(ParsedResume(education=whole), graded).resume.education[0].field is None
    double = (
        "EDUCATION\n\nSep 2015 - Jun 2019\nMassachusetts Institute of Technology\nBSc Mathematics\n\n"
        "Sep 2015 - Jun 2019\nMassachusetts Institute of Technology\nBSc Physics\n"
    )
    physics = {"institution": "Massachusetts Institute of Technology", "degree": "BSc", "field": "Physics"}
    physics |= {"start_date": "2015-09", "end_date": "2019-06", "gpa": None}
    assert schools_by_blocks([physics], double, [])[0] == physics
    chile = (
        "EDUCATION\n\nSep 2017 - Jun 2019\nUniversidad de Chile\nMáster en Economía\n\n"
        "Sep 2017 - Jun 2019\nPontificia Universidad Católica de Chile\nMáster en Finanzas\n"
    )
    catolica = {**physics, "institution": "Pontificia Universidad Católica de Chile", "degree": "Máster"}
    catolica |= {"field": "Finanzas", "start_date": "2017-09"}
    read = schools_by_blocks([catolica], chile, [])
    assert read[0] == catolica and read[1]["institution"] == "Universidad de Chile"
    states = "EDUCATION\n\nHarvard University, Boston, MA (2019 - 2021)\nBoston University, Boston, MA (2015 - 2019)\n"
    assert schools_by_lines([], states, []) == []
    lines = (
        "EDUCATION\n\nB.S., Computer Science, University of Washington, Sep 2012 - Jun 2016\n"
        "M.S., Computer Science, Stanford University, Sep 2016 - Jun 2018\n"
    )
    uw = {"institution": "University of Washington", "degree": "B.S.", "field": "Computer Science"}
    uw |= {"start_date": "2012", "end_date": "2016", "gpa": "3.7"}
    assert schools_by_lines([uw], lines, [])[0] == {**uw, "start_date": "2012-09", "end_date": "2016-06"}


def test_schools_written_as_comma_cells_over_their_dates_are_read_by_line() -> None:
    """elegant prints "field, degree, school" over "Sep, 2014 - Jul, 2017" and a grade: v10 read no institution and
    a third school. A line of cells whose dates are not alone below it is read no such way."""
    text = (
        "EDUCATION\n计算机应用技术, 研究生, 中国人民大学\nSep, 2014 - Jul, 2017\n3.7+\n"
        "经济与金融荣誉实验班, 本科生, 对外经济贸易大学\nSep, 2010 - Jul, 2014\n3.7+\nAWARDS\n"
    )
    model = [
        {
            "institution": None,
            "degree": "计算机应用技术",
            "field": None,
            "start_date": "2014-09",
            "end_date": "2017-07",
        },
        {
            "institution": None,
            "degree": "经济与金融荣誉实验班",
            "field": None,
            "start_date": "2010-09",
            "end_date": "2014-07",
        },
    ]
    read = schools_by_lines(model, text, [])
    assert [(s["institution"], s["degree"], s["field"]) for s in read] == [
        ("中国人民大学", "研究生", "计算机应用技术"),
        ("对外经济贸易大学", "本科生", "经济与金融荣誉实验班"),
    ]
    prose = text.replace("Sep, 2010 - Jul, 2014", "Graduated with honours, Sep, 2010 - Jul, 2014")
    assert schools_by_lines(model, prose, []) == model


def test_a_school_line_s_place_or_two_cells_over_its_dates_are_no_field() -> None:
    """A cell after the school is its place ("Master of Science, University of Oxford, United Kingdom" over its
    dates), and a line of two cells over its dates is read no such way (the field may share the school's cell:
    "B.S. Candidate, Computer Science — Fudan University")."""
    text = (
        "Education\nMaster of Science, University of Oxford, United Kingdom\n2014 – 2016\n"
        "Bachelor of Science, University of Leeds, United Kingdom\n2010 – 2014\nSkills\n"
    )
    model = [
        {"institution": "University of Oxford", "degree": "Master of Science", "field": None, "start_date": "2014"},
        {"institution": "University of Leeds", "degree": "Bachelor of Science", "field": None, "start_date": "2010"},
    ]
    model = [{**school, "end_date": end, "gpa": None} for school, end in zip(model, ("2016", "2014"), strict=True)]
    assert [school["field"] for school in schools_by_lines(model, text, [])] == [None, None]
    two = (
        "Education\nB.S. Candidate, Computer Science — Fudan University\n09/2014 – 07/2018\n"
        "M.S., Data Science — Tsinghua University\n09/2018 – 07/2020\n"
    )
    fudan = {"institution": "Fudan University", "degree": "B.S. Candidate", "field": "Computer Science"}
    fudan.update(start_date="2014-09", end_date="2018-07", gpa=None)
    assert schools_by_lines([fudan], two, []) == [fudan]


def test_a_lone_school_line_is_read_by_its_cells_and_a_school_read_across_them_as_the_line_writes_it() -> None:
    """elegant's one school over its dates, a course below: v10 joined field and school into the institution and took
    the degree for the field. A line of two schools' cells, and a cell holding two values, are read no such way."""
    text = (
        "EDUCATION\nMatemáticas Aplicadas y Computación, Licenciatura, Facultad de Estudios Superiores Acatlán\n"
        "Aug, 2017 - Jun, 2022\nDB1101 - SQL Básico\nCERTIFICATES\n"
    )
    model = {
        "institution": "Matemáticas Aplicadas y Computación, Facultad de Estudios Superiores Acatlán",
        "degree": "Matemáticas Aplicadas y Computación",
        "field": "Licenciatura",
        "start_date": "2017-08",
        "end_date": "2022-06",
        "gpa": None,
    }
    dropped: list[str] = []
    (read,) = schools_by_lines([model], text, dropped)
    assert (read["institution"], read["degree"], read["field"]) == (
        "Facultad de Estudios Superiores Acatlán",
        "Licenciatura",
        "Matemáticas Aplicadas y Computación",
    )
    assert dropped == [f"education: {model['institution']} | {model['degree']} (read as its line writes it)"]
    two_values = text.replace("Computación, Licenciatura", "Computación — Licenciatura, Tesis")
    assert schools_by_lines([model], two_values, []) == [model]
    two_schools = text.replace("Licenciatura,", "Escuela Nacional Preparatoria,")
    assert schools_by_lines([model], two_schools, []) == [model]


def test_a_field_taken_from_the_school_s_cell_is_read_as_the_line_writes_it() -> None:
    """The second of two lines (a note below it): v10 took the start of the school's name for the field."""
    text = (
        "EDUCATION\nInteligencia Artificial, Tec. Universitaria, Universidad Nacional de Hurlingham\n"
        "Jan, 2024 - Present\n"
        "Economía y Gestión, Prof. de Educación Secundaria, Instituto Superior de Formación Docente\n"
        "Mar, 2019 - Dec, 2023\nAdeudo último año\n"
    )
    second = {
        "institution": "Instituto Superior de Formación Docente",
        "degree": "Prof. de Educación Secundaria",
        "field": "Instituto Superior de Formación",
        "start_date": "2019-03",
        "end_date": "2023-12",
        "gpa": None,
    }
    read = schools_by_lines([second], text, [])
    assert [(s["institution"], s["degree"], s["field"]) for s in read] == [
        ("Universidad Nacional de Hurlingham", "Tec. Universitaria", "Inteligencia Artificial"),
        ("Instituto Superior de Formación Docente", "Prof. de Educación Secundaria", "Economía y Gestión"),
    ]


def test_a_school_named_before_its_place_shows_the_layout_and_compound_school_names_are_schools() -> None:
    """macchiato: "Aarhus University, Aarhus, Denmark 08/2020 - 06/2024" over the degree; the model read the school
    without its place, and left out a "katedralskole" (a Danish school's name ends in its word for school)."""
    text = (
        "Education\n\nAarhus University, Aarhus, Denmark 08/2020 - 06/2024\n"
        "B.Eng Bachelor of Engineering in Mechanical Engineering\n\n"
        "Ribe katedralskole 08/2016 - 06/2019\nSTX Higher General Examination Programme\n\nReferences\n"
    )
    aarhus = {"institution": "Aarhus University", "degree": "B.Eng", "field": "Aarhus University"}
    aarhus.update(start_date="2020-08", end_date="2024-06", gpa=None)
    read = schools_from_layout([aarhus], text, [])
    assert [(s["institution"], s["degree"], s["start_date"]) for s in read] == [
        ("Aarhus University", "B.Eng", "2020-08"),
        ("Ribe katedralskole", "STX Higher General Examination Programme", "2016-08"),
    ]
    grounded = ground(ParsedResume(education=[Education(**aarhus)]), text)
    assert grounded.resume.education[0].field == "Bachelor of Engineering in Mechanical Engineering"
    assert "education.field: Aarhus University (its school's name)" in grounded.dropped


def test_dates_inside_a_school_s_line_part_its_cells() -> None:
    """flat prints "school  2011-01-01 — 2013-01-01  field": the range's dash is no cell's edge, so no school takes
    a date into its name."""
    text = (
        "Education\nUniversidad de Chile 2011-01-01 — 2013-01-01 Ingeniería Civil\nBachelor\n\n"
        "Universidad Católica 2007-01-01 — 2009-01-01 Ingeniería Civil Informática\nBachelor\n\nSkills\nPython\n"
    )
    chile = Education(institution="Universidad de Chile", degree="Bachelor", field="Ingeniería Civil")
    chile = chile.model_copy(update={"start_date": "2011-01", "end_date": "2013-01"})
    schools = ground(ParsedResume(education=[chile]), text).resume.education
    assert [(s.institution, s.start_date, s.end_date) for s in schools] == [
        ("Universidad de Chile", "2011-01", "2013-01"),
        ("Universidad Católica", "2007-01", "2009-01"),
    ]


def test_a_right_reading_of_short_degrees_and_bracketed_dates_is_left_alone() -> None:
    """Words, not letters: "MA" is no piece of "University of Manchester" (a review's case). Dates in brackets leave
    no bracket in a school's name."""
    text = (
        "EDUCATION\nMA History, University of Manchester    2015 - 2016\n"
        "BA History, University of Bath    2012 - 2015\n"
    )
    model = [
        Education(institution="University of Manchester", degree="MA", field="History", start_date="2015"),
        Education(institution="University of Bath", degree="BA", field="History", start_date="2012"),
    ]
    model = [school.model_copy(update={"end_date": end}) for school, end in zip(model, ("2016", "2015"), strict=True)]
    read = ground(ParsedResume(education=model), text).resume.education
    assert [(s.degree, s.field) for s in read] == [("MA", "History"), ("BA", "History")]
    bracketed = (
        "EDUCATION\nUniversidad de Chile (2011 - 2013)\nIngeniería Civil\n"
        "Universidad Católica de Chile (2007 - 2011)\nLicenciatura en Física\n"
    )
    chile = Education(institution="Universidad de Chile", degree="Ingeniería Civil", start_date="2011", end_date="2013")
    schools = ground(ParsedResume(education=[chile]), bracketed).resume.education
    assert [s.institution for s in schools] == ["Universidad de Chile", "Universidad Católica de Chile"]
