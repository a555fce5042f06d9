# The application image: gunicorn serving Django; static files collected at build time.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    STATIC_ROOT=/srv/static MEDIA_ROOT=/srv/media
WORKDIR /app

COPY requirements.txt .
RUN pip install -r requirements.txt && useradd --system --uid 1000 --home /app briefs

COPY . .
RUN SECRET_KEY=collectstatic-only DEBUG=0 python manage.py collectstatic --no-input \
    && mkdir -p /srv/media && chown -R briefs /srv/media

USER briefs
EXPOSE 8000
CMD ["gunicorn", "-c", "deploy/gunicorn.conf.py"]
