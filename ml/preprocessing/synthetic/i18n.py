"""Non-English resumes: localised headings, dates, job titles, bullets and language names.

A profile from a German, French, Spanish or Portuguese locale is sometimes written
entirely in that language (:func:`ml.preprocessing.synthetic.generate.make_profile` decides,
:mod:`ml.preprocessing.synthetic.render` uses the headings and date formats below).
The truth keeps normalised dates (``2021-03``, ``2021``, ``present``) and copies every
other value exactly as the text shows it (``Deutsch``, ``Projektingenieur``).
"""

from __future__ import annotations

from dataclasses import dataclass

LOCALE_LANGUAGE = {"de_DE": "de", "fr_FR": "fr", "es_ES": "es", "es_MX": "es", "pt_BR": "pt"}
LOCALISED_SHARE = 0.6
"""Share of resumes from those locales written in the local language (about 8–9% of all resumes)."""


@dataclass(frozen=True)
class Lang:
    code: str
    months: list[str]
    mon: list[str]
    present: list[str]
    since: list[str]  # "{d}" is the start date
    doc_titles: list[str]
    headings: dict[str, list[str]]
    contact_labels: dict[str, str]
    language_names: dict[str, str]  # English name -> local name
    native: list[str]
    levels: list[str]
    titles: dict[str, list[str]]
    intern_titles: list[str]
    self_employed: list[str]
    bullets: list[str]
    summaries: list[str]
    soft_skills: tuple[str, list[str]]
    interests: list[str]
    references: list[str]
    volunteer: list[tuple[str, str, str]]
    memberships: list[str]
    month_year: str = "{m} {y}"  # "marzo de 2021"


_DE = Lang(
    code="de",
    months=[
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ],
    mon=["Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sep.", "Okt.", "Nov.", "Dez."],
    present=["heute", "heute", "Heute", "aktuell", "jetzt", "dato"],
    since=["seit {d}", "Seit {d}"],
    doc_titles=["Lebenslauf", "LEBENSLAUF", "Lebenslauf", "Curriculum Vitae", "Tabellarischer Lebenslauf"],
    headings={
        "summary": ["Profil", "Kurzprofil", "Über mich", "Zusammenfassung"],
        "experience": ["Berufserfahrung", "Berufliche Erfahrung", "Beruflicher Werdegang", "Praxiserfahrung"],
        "education": ["Ausbildung", "Bildungsweg", "Studium", "Ausbildung und Studium"],
        "skills": ["Kenntnisse", "Fachkenntnisse", "IT-Kenntnisse", "Kompetenzen", "Fähigkeiten"],
        "certifications": ["Zertifikate", "Zertifizierungen", "Weiterbildungen"],
        "languages": ["Sprachen", "Sprachkenntnisse"],
        "volunteer": ["Ehrenamt", "Ehrenamtliches Engagement", "Engagement"],
        "awards": ["Auszeichnungen"],
        "interests": ["Interessen", "Hobbys", "Freizeit"],
        "publications": ["Veröffentlichungen", "Publikationen"],
        "references": ["Referenzen"],
        "memberships": ["Mitgliedschaften"],
        "projects": ["Projekte"],
        "contact": ["Kontakt", "Persönliche Daten", "KONTAKT"],
    },
    contact_labels={"email": "E-Mail: ", "phone": "Tel.: ", "location": "Wohnort: "},
    language_names={
        "German": "Deutsch",
        "English": "Englisch",
        "French": "Französisch",
        "Spanish": "Spanisch",
        "Italian": "Italienisch",
        "Portuguese": "Portugiesisch",
        "Russian": "Russisch",
        "Turkish": "Türkisch",
        "Polish": "Polnisch",
        "Mandarin": "Chinesisch",
        "Arabic": "Arabisch",
        "Dutch": "Niederländisch",
    },
    native=["Muttersprache", "Muttersprache", "muttersprachlich"],
    levels=["fließend", "verhandlungssicher", "sehr gut", "gut", "Grundkenntnisse", "C1", "B2", "B1"],
    titles={
        "software": ["Softwareentwickler", "Softwareentwicklerin", "Backend-Entwickler", "Softwarearchitekt"],
        "data": ["Datenanalyst", "Data Scientist", "Datenanalystin", "BI-Entwickler"],
        "mechanical": ["Konstrukteur", "Projektingenieur Maschinenbau", "Entwicklungsingenieur", "Versuchsingenieur"],
        "civil": ["Bauingenieur", "Bauleiter", "Tragwerksplaner", "Projektleiter Bau"],
        "finance": ["Finanzbuchhalter", "Controller", "Bilanzbuchhalterin", "Leiter Rechnungswesen"],
        "marketing": ["Marketingmanager", "Online-Marketing-Managerin", "Referent Marketing", "Leiterin Marketing"],
        "sales": ["Vertriebsmitarbeiter", "Key Account Manager", "Außendienstmitarbeiter", "Vertriebsleiter"],
        "nursing": ["Gesundheits- und Krankenpfleger", "Pflegefachkraft", "Stationsleitung", "Intensivpfleger"],
        "teaching": ["Lehrer für Mathematik und Physik", "Grundschullehrerin", "Studienrat", "Lehrkraft"],
        "hr": ["Personalreferentin", "HR Business Partner", "Personalsachbearbeiter", "Leiter Personal"],
        "operations": ["Logistikleiter", "Disponent", "Supply Chain Manager", "Produktionsplaner"],
        "design": ["Grafikdesignerin", "UX-Designer", "Mediengestalter", "Art Director"],
    },
    intern_titles=["Praktikant", "Werkstudent", "Praktikantin", "Werkstudentin"],
    self_employed=["Selbstständig", "Freiberuflich"],
    bullets=[
        "Leitung eines Teams von {n} Mitarbeitenden",
        "Verantwortung für ein Budget von {money}",
        "Senkung der Kosten um {pct} % durch Prozessoptimierung",
        "Einführung eines neuen Reportings für die Geschäftsführung",
        "Betreuung von {n} Kunden im Großraum",
        "Planung und Durchführung von Projekten mit bis zu {n} Beteiligten",
        "Einarbeitung neuer Kolleginnen und Kollegen",
        "Mitarbeit bei der Einführung von SAP S/4HANA",
        "Verbesserung der Termintreue auf {pct2} %",
        "Erstellung von Angeboten, Dokumentationen und Präsentationen",
        "Abstimmung mit Lieferanten und internen Fachabteilungen",
        "Aufbau eines neuen Standorts mit {n} Beschäftigten",
        "Qualitätssicherung und kontinuierliche Verbesserung (KVP)",
    ],
    summaries=[
        "{title} mit {years} Jahren Berufserfahrung. Strukturiert, zuverlässig und teamorientiert.",
        "Erfahrene Fachkraft ({title}) mit Schwerpunkt auf Qualität und Effizienz. Suche eine neue Herausforderung.",
        "Seit {years} Jahren als {title} tätig. Freue mich auf neue Aufgaben mit mehr Verantwortung.",
    ],
    soft_skills=(
        "Soziale Kompetenzen",
        ["Teamfähigkeit", "Kommunikationsstärke", "Organisationstalent", "Belastbarkeit"],
    ),
    interests=["Radfahren", "Klettern", "Fotografie", "Kochen", "Schach", "Wandern", "Lesen"],
    references=["Referenzen auf Anfrage.", "Zeugnisse und Referenzen auf Anfrage"],
    volunteer=[
        ("Freiwillige Feuerwehr", "Mitglied", "Einsätze und Ausbildung von Nachwuchskräften"),
        ("Tafel e.V.", "Ehrenamtliche Helferin", "Lebensmittelausgabe an {n} Haushalte pro Woche"),
        ("TSV Sportverein", "Jugendtrainer", "Training einer Jugendmannschaft mit {n} Kindern"),
    ],
    memberships=["Mitglied im VDI", "Mitglied der IHK-Prüfungskommission", "Mitglied im Berufsverband"],
)

_FR = Lang(
    code="fr",
    months=[
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
    mon=["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."],
    present=["aujourd'hui", "Aujourd'hui", "présent", "ce jour", "en cours"],
    since=["depuis {d}", "Depuis {d}"],
    doc_titles=["Curriculum Vitae", "CV", "CURRICULUM VITAE"],
    headings={
        "summary": ["Profil", "Profil professionnel", "À propos", "Résumé"],
        "experience": ["Expérience professionnelle", "Expériences professionnelles", "Parcours professionnel"],
        "education": ["Formation", "Formations", "Diplômes", "Études"],
        "skills": ["Compétences", "Compétences techniques", "Savoir-faire"],
        "certifications": ["Certifications", "Certificats"],
        "languages": ["Langues", "Langues étrangères"],
        "volunteer": ["Bénévolat", "Engagement associatif", "Vie associative"],
        "awards": ["Distinctions", "Prix"],
        "interests": ["Centres d'intérêt", "Loisirs", "Intérêts"],
        "publications": ["Publications"],
        "references": ["Références"],
        "memberships": ["Adhésions", "Associations professionnelles"],
        "projects": ["Projets"],
        "contact": ["Contact", "Coordonnées", "COORDONNÉES"],
    },
    contact_labels={"email": "E-mail : ", "phone": "Tél. : ", "location": "Adresse : "},
    language_names={
        "French": "Français",
        "English": "Anglais",
        "German": "Allemand",
        "Spanish": "Espagnol",
        "Italian": "Italien",
        "Portuguese": "Portugais",
        "Arabic": "Arabe",
        "Mandarin": "Chinois",
        "Russian": "Russe",
        "Dutch": "Néerlandais",
    },
    native=["langue maternelle", "natif", "bilingue"],
    levels=["courant", "professionnel", "intermédiaire", "notions", "lu, écrit, parlé", "C1", "B2", "B1"],
    titles={
        "software": ["Développeur Full Stack", "Ingénieur logiciel", "Développeuse back-end", "Architecte logiciel"],
        "data": ["Data Analyst", "Data Scientist", "Analyste de données", "Ingénieure données"],
        "mechanical": ["Ingénieur mécanique", "Ingénieure conception", "Technicien méthodes", "Chef de projet R&D"],
        "civil": ["Ingénieur travaux", "Conducteur de travaux", "Ingénieure structure", "Chef de chantier"],
        "finance": [
            "Comptable",
            "Contrôleur de gestion",
            "Analyste financière",
            "Directeur administratif et financier",
        ],
        "marketing": ["Chef de produit marketing", "Chargée de communication", "Responsable marketing digital"],
        "sales": ["Commercial terrain", "Ingénieur commercial", "Responsable grands comptes", "Directrice commerciale"],
        "nursing": ["Infirmier", "Infirmière diplômée d'État", "Cadre de santé", "Infirmière de bloc"],
        "teaching": ["Professeur de mathématiques", "Professeure des écoles", "Enseignant", "Formateur"],
        "hr": ["Chargée de recrutement", "Responsable RH", "Gestionnaire paie", "Directeur des ressources humaines"],
        "operations": ["Responsable logistique", "Chef d'équipe", "Responsable supply chain", "Planificateur"],
        "design": ["Graphiste", "Designer UX/UI", "Directrice artistique", "Webdesigner"],
    },
    intern_titles=["Stagiaire", "Stage de fin d'études", "Alternant", "Apprentie"],
    self_employed=["Indépendant", "Freelance", "Auto-entrepreneur"],
    bullets=[
        "Encadrement d'une équipe de {n} personnes",
        "Gestion d'un budget de {money}",
        "Réduction des coûts de {pct} % grâce à l'optimisation des processus",
        "Mise en place d'un tableau de bord pour la direction",
        "Suivi d'un portefeuille de {n} clients",
        "Pilotage de projets transverses avec les équipes métiers",
        "Formation et accompagnement des nouveaux collaborateurs",
        "Rédaction de cahiers des charges et de documentations",
        "Amélioration du taux de satisfaction à {pct2} %",
        "Relation avec les fournisseurs et négociation des contrats",
        "Participation au déploiement d'un nouvel ERP",
    ],
    summaries=[
        "{title} avec {years} ans d'expérience. Rigoureux, autonome et doté d'un bon esprit d'équipe.",
        "{title} passionné, à la recherche d'un nouveau défi dans une entreprise dynamique.",
        "Fort de {years} ans d'expérience en tant que {title}, je souhaite évoluer vers plus de responsabilités.",
    ],
    soft_skills=("Savoir-être", ["Esprit d'équipe", "Rigueur", "Autonomie", "Sens de l'organisation"]),
    interests=["Course à pied", "Photographie", "Cuisine", "Voyages", "Lecture", "Théâtre", "Randonnée"],
    references=["Références disponibles sur demande.", "Références sur demande"],
    volunteer=[
        ("Restos du Cœur", "Bénévole", "Distribution de repas chaque semaine"),
        ("Croix-Rouge française", "Secouriste bénévole", "Postes de secours lors de {n} événements"),
        ("Club de football local", "Entraîneur bénévole", "Encadrement de {n} jeunes joueurs"),
    ],
    memberships=["Membre de l'Ordre des experts-comptables", "Membre de l'association des anciens élèves"],
)

_ES = Lang(
    code="es",
    months=[
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ],
    mon=["ene.", "feb.", "mar.", "abr.", "may.", "jun.", "jul.", "ago.", "sept.", "oct.", "nov.", "dic."],
    present=["actualidad", "la actualidad", "Actualidad", "presente", "actual", "Presente"],
    since=["desde {d}", "Desde {d}"],
    doc_titles=["Curriculum Vitae", "Currículum Vitae", "CV", "Hoja de vida", "CURRÍCULUM"],
    headings={
        "summary": ["Perfil", "Perfil profesional", "Sobre mí", "Resumen"],
        "experience": ["Experiencia laboral", "Experiencia profesional", "Experiencia", "Trayectoria profesional"],
        "education": ["Educación", "Formación académica", "Formación", "Estudios"],
        "skills": ["Habilidades", "Competencias", "Conocimientos", "Conocimientos técnicos", "Aptitudes"],
        "certifications": ["Certificaciones", "Cursos y certificaciones"],
        "languages": ["Idiomas", "Lenguas"],
        "volunteer": ["Voluntariado", "Actividades de voluntariado"],
        "awards": ["Premios", "Reconocimientos"],
        "interests": ["Intereses", "Aficiones", "Pasatiempos"],
        "publications": ["Publicaciones"],
        "references": ["Referencias"],
        "memberships": ["Membresías", "Asociaciones"],
        "projects": ["Proyectos"],
        "contact": ["Contacto", "Datos personales", "CONTACTO"],
    },
    contact_labels={"email": "Correo: ", "phone": "Tel.: ", "location": "Dirección: "},
    language_names={
        "Spanish": "Español",
        "English": "Inglés",
        "French": "Francés",
        "German": "Alemán",
        "Italian": "Italiano",
        "Portuguese": "Portugués",
        "Catalan": "Catalán",
        "Mandarin": "Chino",
        "Arabic": "Árabe",
    },
    native=["nativo", "lengua materna", "nativa"],
    levels=["avanzado", "intermedio", "básico", "fluido", "bilingüe", "C1", "B2", "B1"],
    titles={
        "software": ["Desarrollador de software", "Ingeniera de software", "Desarrollador Full Stack", "Arquitecto"],
        "data": ["Analista de datos", "Científica de datos", "Data Scientist", "Ingeniero de datos"],
        "mechanical": ["Ingeniero mecánico", "Ingeniera de diseño", "Técnico de mantenimiento", "Jefe de proyecto"],
        "civil": ["Ingeniero civil", "Jefa de obra", "Ingeniero de caminos", "Técnico de obra"],
        "finance": ["Contable", "Analista financiero", "Controller financiera", "Director financiero"],
        "marketing": ["Responsable de marketing", "Especialista en marketing digital", "Community manager"],
        "sales": ["Ejecutivo de ventas", "Asesora comercial", "Key account manager", "Director comercial"],
        "nursing": ["Enfermera", "Enfermero de urgencias", "Supervisora de enfermería", "Auxiliar de enfermería"],
        "teaching": ["Profesor de matemáticas", "Maestra de educación primaria", "Docente", "Profesora de inglés"],
        "hr": ["Técnica de selección", "Responsable de recursos humanos", "Técnico de nóminas", "HR Business Partner"],
        "operations": ["Jefe de almacén", "Responsable de logística", "Coordinadora de operaciones", "Planificador"],
        "design": ["Diseñadora gráfica", "Diseñador UX/UI", "Directora de arte", "Diseñador web"],
    },
    intern_titles=["Becario", "Prácticas", "Becaria", "Estudiante en prácticas"],
    self_employed=["Autónomo", "Freelance", "Trabajador independiente"],
    bullets=[
        "Coordinación de un equipo de {n} personas",
        "Gestión de un presupuesto de {money}",
        "Reducción de costes del {pct} % mediante la mejora de procesos",
        "Elaboración de informes mensuales para la dirección",
        "Atención a una cartera de {n} clientes",
        "Implantación de un nuevo sistema de gestión",
        "Formación de nuevos empleados",
        "Negociación con proveedores y seguimiento de contratos",
        "Mejora de la satisfacción del cliente hasta el {pct2} %",
        "Participación en proyectos de transformación digital",
        "Control de calidad y mejora continua",
    ],
    summaries=[
        "{title} con {years} años de experiencia. Persona proactiva, organizada y con capacidad de trabajo en equipo.",
        "{title} con experiencia en entornos exigentes. Busco un nuevo reto profesional.",
        "Más de {years} años de experiencia como {title}, orientado a resultados y a la mejora continua.",
    ],
    soft_skills=("Habilidades blandas", ["Trabajo en equipo", "Comunicación", "Liderazgo", "Resolución de problemas"]),
    interests=["Fútbol", "Fotografía", "Cocina", "Viajar", "Lectura", "Senderismo", "Música"],
    references=["Referencias disponibles a petición.", "Referencias a solicitud"],
    volunteer=[
        ("Cruz Roja", "Voluntario", "Apoyo en campañas de recogida de alimentos"),
        ("Banco de Alimentos", "Voluntaria", "Coordinación de {n} voluntarios los fines de semana"),
        ("ONG local", "Voluntario", "Clases de refuerzo escolar para {n} niños"),
    ],
    memberships=["Miembro del Colegio de Ingenieros", "Miembro de la Asociación de Antiguos Alumnos"],
    month_year="{m} de {y}",
)

_PT = Lang(
    code="pt",
    months=[
        "janeiro",
        "fevereiro",
        "março",
        "abril",
        "maio",
        "junho",
        "julho",
        "agosto",
        "setembro",
        "outubro",
        "novembro",
        "dezembro",
    ],
    mon=["jan.", "fev.", "mar.", "abr.", "mai.", "jun.", "jul.", "ago.", "set.", "out.", "nov.", "dez."],
    present=["atual", "o momento", "presente", "Atual", "atualmente"],
    since=["desde {d}", "Desde {d}"],
    doc_titles=["Currículo", "Curriculum Vitae", "CURRÍCULO", "CV"],
    headings={
        "summary": ["Resumo", "Perfil", "Objetivo", "Resumo profissional"],
        "experience": ["Experiência profissional", "Experiência", "Histórico profissional"],
        "education": ["Formação acadêmica", "Formação", "Escolaridade", "Educação"],
        "skills": ["Habilidades", "Competências", "Conhecimentos"],
        "certifications": ["Certificações", "Cursos e certificações"],
        "languages": ["Idiomas"],
        "volunteer": ["Trabalho voluntário", "Voluntariado"],
        "awards": ["Prêmios"],
        "interests": ["Interesses", "Hobbies"],
        "publications": ["Publicações"],
        "references": ["Referências"],
        "memberships": ["Associações"],
        "projects": ["Projetos"],
        "contact": ["Contato", "Dados pessoais", "CONTATO"],
    },
    contact_labels={"email": "E-mail: ", "phone": "Celular: ", "location": "Endereço: "},
    language_names={
        "Portuguese": "Português",
        "English": "Inglês",
        "Spanish": "Espanhol",
        "French": "Francês",
        "German": "Alemão",
        "Italian": "Italiano",
        "Japanese": "Japonês",
    },
    native=["nativo", "língua materna", "nativa"],
    levels=["fluente", "avançado", "intermediário", "básico", "C1", "B2"],
    titles={
        "software": ["Desenvolvedor de software", "Engenheira de software", "Desenvolvedor Full Stack", "Analista"],
        "data": ["Analista de dados", "Cientista de dados", "Engenheiro de dados", "Analista de BI"],
        "mechanical": ["Engenheiro mecânico", "Projetista mecânico", "Técnica de manutenção", "Engenheiro de produto"],
        "civil": ["Engenheiro civil", "Engenheira de obras", "Mestre de obras", "Coordenador de obras"],
        "finance": ["Analista financeiro", "Contadora", "Controller", "Gerente financeiro"],
        "marketing": ["Analista de marketing", "Gerente de marketing", "Social media", "Coordenadora de marketing"],
        "sales": ["Vendedor", "Executiva de contas", "Representante comercial", "Gerente comercial"],
        "nursing": ["Enfermeira", "Técnico de enfermagem", "Enfermeiro", "Coordenadora de enfermagem"],
        "teaching": [
            "Professor de matemática",
            "Professora do ensino fundamental",
            "Docente",
            "Coordenador pedagógico",
        ],
        "hr": ["Analista de RH", "Recrutadora", "Gerente de recursos humanos", "Assistente de departamento pessoal"],
        "operations": ["Supervisor de logística", "Analista de operações", "Coordenadora de suprimentos"],
        "design": ["Designer gráfico", "Designer UX/UI", "Diretora de arte", "Web designer"],
    },
    intern_titles=["Estagiário", "Estagiária", "Jovem aprendiz", "Trainee"],
    self_employed=["Autônomo", "Freelancer"],
    bullets=[
        "Liderança de uma equipe de {n} pessoas",
        "Gestão de orçamento de {money}",
        "Redução de custos em {pct}% com melhoria de processos",
        "Elaboração de relatórios gerenciais para a diretoria",
        "Atendimento a uma carteira de {n} clientes",
        "Implantação de um novo sistema de gestão",
        "Treinamento de novos colaboradores",
        "Negociação com fornecedores",
        "Aumento da satisfação dos clientes para {pct2}%",
        "Participação em projetos de melhoria contínua",
    ],
    summaries=[
        "{title} com {years} anos de experiência. Proativo, organizado e com facilidade para trabalhar em equipe.",
        "{title} em busca de novos desafios em uma empresa inovadora.",
        "Profissional com mais de {years} anos de experiência como {title}.",
    ],
    soft_skills=("Competências comportamentais", ["Trabalho em equipe", "Comunicação", "Liderança", "Proatividade"]),
    interests=["Futebol", "Fotografia", "Culinária", "Viagens", "Leitura", "Corrida"],
    references=["Referências disponíveis mediante solicitação."],
    volunteer=[
        ("ONG Amigos do Bairro", "Voluntário", "Aulas de reforço para {n} crianças"),
        ("Cruz Vermelha", "Voluntária", "Apoio em campanhas de doação"),
    ],
    memberships=["Membro do CREA", "Membro do Conselho Regional de Contabilidade"],
    month_year="{m} de {y}",
)

LANGS: dict[str, Lang] = {lang.code: lang for lang in (_DE, _FR, _ES, _PT)}

DATE_STYLE_WEIGHTS = {"MM/YYYY": 30, "Month YYYY": 25, "YYYY": 20, "MM.YYYY": 15, "Mon. YYYY": 10}
"""Date styles of localised resumes (03/2021, März 2021, 2021, 03.2021, Jan. 2021)."""


def display_date(lang: Lang, style: str, y: int, m: int) -> str:
    """A date as ``lang`` writes it in ``style`` (one of :data:`DATE_STYLE_WEIGHTS`)."""
    if style == "Month YYYY":
        return lang.month_year.format(m=lang.months[m - 1], y=y)
    if style == "Mon. YYYY":
        return f"{lang.mon[m - 1]} {y}"
    if style == "MM.YYYY":
        return f"{m:02d}.{y}"
    if style == "YYYY":
        return str(y)
    return f"{m:02d}/{y}"


def human_language_names() -> set[str]:
    """Every local spelling of a human language name, lower-cased."""
    return {name.lower() for lang in LANGS.values() for name in lang.language_names.values()}
