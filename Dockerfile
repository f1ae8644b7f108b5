# The platform on PostgreSQL (see docker-compose.yml). Fonts and Pango are what WeasyPrint needs for PDFs.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
      fonts-dejavu-core fonts-noto-core fontconfig \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY participation ./participation
COPY templates ./templates
COPY migrations ./migrations
RUN pip install -e . && useradd --create-home --uid 1000 familiendialog && chown -R familiendialog /app
USER familiendialog

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health')"
CMD ["sh", "-c", "participation migrate && participation serve --host 0.0.0.0 --port 8000 --workers ${WORKERS:-2}"]
