"""Pure document core: data in, SVG charts or PDF bytes out.

- ``charts``: accessible SVG charts (bar, yes/no, scale, line) for pages and PDFs.
- ``pdf``: safe WeasyPrint rendering (no network, PDF/UA-1, limits) and Jinja helpers.
- ``invitations``: printable invitation-code sheets with QR codes.

Imports nothing of the web app or the database. Import the submodule you need:
``charts`` stays light, ``pdf`` and ``invitations`` load WeasyPrint (about a second).
"""
