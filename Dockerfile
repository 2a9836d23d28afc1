# syntax=docker/dockerfile:1
# Opgaveudvalgsportalen: one image for web (gunicorn), Celery worker, Celery beat and one-shot management commands.
# Build:  docker build -t gentofte-portal .
# Run:    see docker-compose.yml and .env.example (SECRET_KEY and ALLOWED_HOSTS are required at runtime).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    DJANGO_SETTINGS_MODULE=gentofte_portal.settings.production \
    MEDIA_ROOT=/data/media \
    PRIVATE_MEDIA_ROOT=/data/private

# WeasyPrint's runtime libraries (Pango, HarfBuzz incl. subsetting for embedded fonts) and a default font.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz0b \
        libharfbuzz-subset0 \
        fonts-dejavu-core \
        shared-mime-info \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --create-home --home-dir /home/app --shell /usr/sbin/nologin app

WORKDIR /app

# Dependencies first, in their own layer, so a code change does not reinstall them.
COPY pyproject.toml ./
RUN python -c "import tomllib; print(*tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies'], sep=chr(10))" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY README.md manage.py ./
COPY gentofte_portal ./gentofte_portal
COPY committees ./committees
COPY recruitment ./recruitment
COPY meetings ./meetings
COPY templates ./templates
COPY static ./static
# locale/ may be empty (and then absent from a git checkout); the wildcard lets BuildKit copy it only if present.
COPY local[e] ./locale/

# Install the project itself (its dependencies are already there). The code is run from /app (PYTHONPATH and the
# working directory put it first on sys.path), because settings find templates/, static/ and locale/ next to it.
RUN pip install --no-deps . \
    && rm -rf build ./*.egg-info

# Static files are collected into the image (STATIC_ROOT, default /app/var/static) and served by WhiteNoise.
# Production settings insist on SECRET_KEY and ALLOWED_HOSTS; these throwaway values exist only for this command.
RUN SECRET_KEY=collectstatic-build-only-not-a-secret ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput

# MEDIA_ROOT (generated PDFs) is a volume shared by web and worker; it must be writable by the app user.
RUN mkdir -p /data/media /data/private /app/var \
    && chown app:app /data/media /data/private /app/var

USER 10001:10001

EXPOSE 8000

# /healthz is exempt from the HTTPS redirect (SECURE_REDIRECT_EXEMPT); ALLOWED_HOSTS must include 127.0.0.1.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status == 200 else 1)"]

CMD ["gunicorn", "gentofte_portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
