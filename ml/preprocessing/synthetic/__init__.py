"""Synthetic resumes with ground truth, deterministic from a seed, bottom-up:

* :mod:`~ml.preprocessing.synthetic.i18n`: localised headings, dates, titles and bullets (German, French,
  Spanish, Portuguese);
* :mod:`~ml.preprocessing.synthetic.content`: the vocabularies (occupations, skills, bullets, places, schools);
* :mod:`~ml.preprocessing.synthetic.profile`: the person a resume is about (jobs, schools, projects …);
* :mod:`~ml.preprocessing.synthetic.render`: the layout families, writing the text and its truth together;
* :mod:`~ml.preprocessing.synthetic.generate`: draws a profile and renders it (``generate_resume(s)``).
"""
