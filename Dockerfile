# syntax=docker/dockerfile:1
# goosed in a container: `docker build -t goosed .` then see docs/deployment.md.
# Stage 1 builds the same artefacts as bin/goose (goose-cli/target/goose.jar + goose-cli/target/lib/);
# stage 2 runs them on a slim JRE as a non-root user.

FROM maven:3.9-eclipse-temurin-25 AS build
WORKDIR /src
# Poms first: the dependency download is cached until a pom changes.
COPY pom.xml ./
COPY goose-core/pom.xml goose-core/
COPY goose-builtins/pom.xml goose-builtins/
COPY goose-acp/pom.xml goose-acp/
COPY goose-server/pom.xml goose-server/
COPY goose-cli/pom.xml goose-cli/
COPY goose-core/src goose-core/src
COPY goose-builtins/src goose-builtins/src
COPY goose-acp/src goose-acp/src
COPY goose-server/src goose-server/src
COPY goose-cli/src goose-cli/src
# The tests run in CI (bin/test), not in the image build; -DskipTests still builds the test jars the reactor needs.
RUN --mount=type=cache,target=/root/.m2 mvn -B -q -Dstyle.color=never -DskipTests package

FROM eclipse-temurin:25-jre
# curl for the health check; git and ca-certificates for the developer extension's shell commands;
# bubblewrap for the tool sandbox (prlimit, which it also uses, is in util-linux).
RUN apt-get update \
 && apt-get install -y --no-install-recommends bubblewrap ca-certificates curl git \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --uid 10001 --user-group --shell /bin/bash goose \
 && mkdir -p /home/goose/.config/goose /home/goose/.local/share/goose /home/goose/.local/state/goose /home/goose/work \
 && chown -R goose:goose /home/goose

COPY --from=build /src/goose-cli/target/lib/ /opt/goose/lib/
COPY --from=build /src/goose-cli/target/goose.jar /opt/goose/goose.jar
COPY --chmod=0755 deploy/docker/goose /usr/local/bin/goose

USER goose
WORKDIR /home/goose/work
# The paths goose resolves for this user (docs/configuration.md): config.yaml and secrets.yaml, then
# sessions/sessions.db (SQLite) and built-in extension data, then logs.
VOLUME ["/home/goose/.config/goose", "/home/goose/.local/share/goose"]

# Listen on every interface inside the container. goosed refuses a non-loopback bind without
# authentication: set GOOSE_AUTH (secret, tokens or proxy) and its settings when you run the image.
# Tools always run in the bubblewrap sandbox here (GOOSE_SANDBOX=on): the container must allow it
# to create namespaces (docs/deployment.md: the seccomp profile deploy/docker/seccomp-bwrap.json and
# systempaths=unconfined), else goosed refuses to start and says so.
ENV GOOSE_HOST=0.0.0.0 \
    GOOSE_PORT=3000 \
    GOOSE_SANDBOX=on \
    JAVA_OPTS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
EXPOSE 3000

HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD curl -fsS -o /dev/null "http://127.0.0.1:${GOOSE_PORT}/status" || exit 1

ENTRYPOINT ["goose"]
CMD ["server"]
