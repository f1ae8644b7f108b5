"""Pure document core: data in, SVG charts or PDF bytes out.

- ``charts``: accessible SVG charts (bar, yes/no, scale, line) for pages and PDFs.
- ``pdf``: safe WeasyPrint rendering (no network, PDF/UA-1, limits) and Jinja helpers.
- ``invitations``: printable invitation-code sheets with QR codes.
- ``questionnaire``: the printable paper questionnaire of a survey (boxes, lines, filter instructions, QR code).

Imports nothing of the web app or the database. Import the submodule you need:
``charts`` stays light, ``pdf``, ``invitations`` and ``questionnaire`` load WeasyPrint (about a second).
"""
