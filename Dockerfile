# The PWA is built in a Node stage (`npm run build` also writes its .br and .gz copies, which the
# app sends to browsers that take them); the app runs on a slim Python image as a non-root user.
FROM node:20-bookworm-slim AS frontend
WORKDIR /build
COPY schema.graphql ./
COPY frontend/package.json frontend/package-lock.json frontend/
RUN cd frontend && npm ci --no-audit --no-fund
COPY frontend frontend
RUN cd frontend && npm run build

FROM python:3.11-slim-bookworm AS app
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    BATON_HOST=0.0.0.0 BATON_PORT=8000 BATON_FRONTEND_DIST=/app/frontend/dist
WORKDIR /app
COPY pyproject.toml README.md ./
COPY backend backend
RUN pip install --no-cache-dir . && useradd --create-home --uid 10001 baton \
    && mkdir /data && chown baton /data
COPY --from=frontend /build/frontend/dist frontend/dist
USER baton
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --retries=5 \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"
# Migrations run before the app starts serving.
CMD ["sh", "-c", "baton migrate && exec baton serve"]
