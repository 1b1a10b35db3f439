# Samsök application image: web (gunicorn), worker and beat all run from it.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    SAMSOK_DATA_DIR=/data STATIC_ROOT=/app/staticfiles
RUN apt-get update && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 1000 samsok && mkdir -p /data && chown samsok /data
WORKDIR /app
COPY pyproject.toml ./
RUN pip install --upgrade pip && pip install .
COPY --chown=samsok . .
# Build-time only key and address: collectstatic and compilemessages need settings, not secrets.
RUN export SECRET_KEY=build-only SITE_URL=https://build-only.invalid \
    && python manage.py compilemessages -v0 --ignore=.venv \
    && python manage.py collectstatic --no-input -v0
USER samsok
EXPOSE 8000
# As docker-compose.yml's `web` (measured there); no access log: it would keep patrons' searches.
CMD ["gunicorn", "portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "2", \
     "--worker-class", "gthread", "--threads", "8", "--timeout", "30", \
     "--config", "python:portal.gunicorn_conf"]
