# LADO Intake service image.
#   docker build -t lado-intake .
#   docker run --read-only --tmpfs /tmp -p 8080:8080 \
#     -e LADO_SECRET_KEY=... -e LADO_DATABASE_URL=postgresql://lado@db/lado \
#     -e LADO_BASE_URL=https://lado.example.gov.uk lado-intake
# The container runs the migrations, then serves on port 8080 as a non-root user.

# ---- build: install the package and its pinned dependencies into a virtualenv
FROM python:3.11.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /src
COPY pyproject.toml README.md LICENSE ./
COPY bot ./bot
COPY dialogs ./dialogs
COPY intake ./intake
COPY triage ./triage
COPY store ./store
RUN pip install --no-cache-dir "pip==25.3" \
 && pip install --no-cache-dir . \
 && python -m compileall -q /opt/venv

# ---- runtime: the virtualenv only, a non-root user, no build tools
FROM python:3.11.11-slim-bookworm AS runtime
RUN groupadd --system --gid 10001 lado \
 && useradd --system --uid 10001 --gid lado --home-dir /nonexistent --no-create-home \
    --shell /usr/sbin/nologin lado
COPY --from=build /opt/venv /opt/venv
COPY docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    HOME=/tmp \
    TMPDIR=/tmp \
    LADO_ENV=prod \
    LADO_WEB__HOST=0.0.0.0 \
    LADO_WEB__PORT=8080 \
    LADO_LOG_FORMAT=json
WORKDIR /tmp
USER 10001:10001
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('LADO_WEB__PORT', '8080') + '/healthz', timeout=4)"]
ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]
CMD ["serve"]
