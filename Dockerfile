# One image for web (gunicorn), worker and beat (Celery). See docker-compose.yml.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=metalldialog.settings.base \
    VAR_DIR=/app/var

# gettext compiles the translations; pango and fonts are what WeasyPrint needs for PDFs; the
# PostgreSQL client (pg_dump, pg_restore, psql) of the server's major version (compose's
# postgres image) makes and restores backups.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext libpango-1.0-0 libpangoft2-1.0-0 \
       libharfbuzz-subset0 fonts-dejavu-core postgresql-client-15 \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
RUN pip install --upgrade pip && pip install .
COPY . .

# Build-time only key: compilemessages and collectstatic need settings, not secrets.
RUN DJANGO_SECRET_KEY=build-only python manage.py compilemessages --ignore=.venv -v 0 \
    && DJANGO_SECRET_KEY=build-only python manage.py collectstatic --no-input -v 0

RUN useradd --create-home --uid 1000 app && mkdir -p /app/var /backups \
    && chown -R app /app/var /backups
USER app

EXPOSE 8000
CMD ["gunicorn", "metalldialog.wsgi:application", "--bind", "0.0.0.0:8000", \
     "--workers", "3", "--worker-class", "gthread", "--threads", "4", "--access-logfile", "-"]
