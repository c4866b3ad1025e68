# provider-sim: every provider and the /_sim control API on port 8000.
#   docker build -t provider-sim .
#   docker run --rm -p 8000:8000 provider-sim
#   docker run --rm -p 8000:8000 -v sim-data:/data provider-sim serve --host 0.0.0.0 --store sqlite:/data/sim.sqlite
#   docker run --rm -p 8000:8000 -p 8443:8443 -v sim-data:/data provider-sim serve --host 0.0.0.0 --tls --tls-dir /data/tls
#     (HTTPS for SDKs with a hard-coded host; `docker cp CONTAINER:/data/tls/ca.pem .` gives the CA to trust)
#   docker run --rm -p 8000:8000 -v $PWD/my-specs:/specs:ro provider-sim serve --host 0.0.0.0 --specs /specs
#   docker run --rm -p 8000:8000 -e PROVIDER_SIM_CONTROL_TOKEN=choose-one provider-sim   (a shared host: /_sim/ and
#     the dashboard need `Authorization: Bearer choose-one`; without a token the server warns, bound to 0.0.0.0)
# Stage 1 builds the wheel from the sources; stage 2 installs only that wheel (not editable) and runs as a non-root
# user. .ci/docker-smoke.sh runs the same COPY, RUN pip/python and start steps without Docker.
FROM python:3.11-slim AS build

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /src
COPY pyproject.toml setup.py README.md ./
COPY simulator ./simulator
COPY specs ./specs
COPY scenarios ./scenarios
RUN pip wheel --no-deps --wheel-dir /wheels .


FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN useradd --create-home --uid 10001 sim && mkdir -p /data && chown sim:sim /data

COPY --from=build /wheels /wheels
RUN pip install /wheels/*.whl && rm -rf /wheels

USER sim
WORKDIR /home/sim
EXPOSE 8000 8443
VOLUME ["/data"]
HEALTHCHECK --interval=10s --timeout=3s --start-period=15s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/_sim/health', timeout=2).status == 200 else 1)"]
ENTRYPOINT ["provider-sim"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8000"]
