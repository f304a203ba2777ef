"""What the kit prints for people: the personal report and the paper handouts.

- :mod:`kit.render.report`: the personal report, one self-contained HTML page (and a PDF);
- :mod:`kit.render.handouts`: the print-ready handouts (HTML made for paper, and PDFs);
- :mod:`kit.render.paper_score`: the handout's five-minute tally, and how often it agrees
  with the notebook's score on simulated respondents;
- :mod:`kit.render.reading`: the participants' reading list (report and handout);
- :mod:`kit.render.pdf`: every PDF the kit makes: headless Chromium prints HTML pages (the
  handouts, the decks), fpdf2 draws the report;
- :mod:`kit.render.templating`: the one Jinja2 environment, with autoescape on, for the
  report, the handouts and the room slides of the decks.

The HTML comes from Jinja2 templates in ``kit/templates/render``, so every piece of content
or participant text is escaped by the template engine, never by hand. Nothing is imported
here: ``kit.render.pdf`` stays cheap for the decks and the browser tests.
"""
