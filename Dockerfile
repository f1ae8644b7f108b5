# One image for every service of docker-compose.yml (migrate, app, worker). Dependencies come from requirements.lock
# and are installed before the code is copied, so a code change rebuilds only the last layers. The code belongs to
# root and is read-only for the user the processes run as. Fonts and Pango are what WeasyPrint needs for PDFs;
# postgresql-client gives `participation backup`/`restore` their pg_dump and pg_restore; tini is PID 1, so SIGTERM
# reaches Python and the container stops at once instead of being killed after 10 s.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VIRTUAL_ENV=/opt/venv PATH=/opt/venv/bin:$PATH XDG_CACHE_HOME=/tmp/cache
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
      fonts-dejavu-core fonts-noto-core fontconfig \
      postgresql-client tini \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 1000 --home-dir /nonexistent --shell /usr/sbin/nologin familiendialog

# Refresh the lock with `make lock`.
COPY requirements.lock /tmp/requirements.lock
RUN python -m venv "$VIRTUAL_ENV" && pip install --require-hashes --no-deps -r /tmp/requirements.lock

WORKDIR /app
COPY pyproject.toml README.md ./
COPY participation ./participation
COPY templates ./templates
COPY migrations ./migrations
# Editable, so that the package finds templates/ and migrations/ beside it; nothing is fetched here.
RUN pip install --no-deps --no-build-isolation -e . && python -m compileall -q participation \
 && chmod -R a+rX,go-w /app

USER familiendialog
EXPOSE 8000
# tini reports a child ended by SIGTERM as 143; -e 143 makes that what it is, a clean stop (exit 0).
ENTRYPOINT ["/usr/bin/tini", "-e", "143", "--"]
CMD ["participation", "serve", "--host", "0.0.0.0", "--port", "8000"]
