# goosed in a container: `docker build -t goosed:latest .`, then see docs/deployment.md.
# The stages: `build` makes the same artefacts as bin/goose (goose-cli/target/goose.jar and
# goose-cli/target/lib/) and lists the Java modules they use; `java-runtime` links a runtime of only
# those (jlink: no compiler, no jshell, no Maven); `os` is Debian slim with the packages goose uses and
# a non-root user; the last stage puts them together, with a class-data archive made at build time.
# No `# syntax=` line on purpose: it makes BuildKit fetch a frontend image, which fails offline; the
# features used here (RUN --mount, COPY --chmod) are built into BuildKit.
#
# Behind a TLS-intercepting proxy, give the build the proxy's CA certificates (one PEM file) as the
# secret `ca`; Maven and apt then trust them in addition to their own CAs (docs/deployment.md):
#   docker build --secret id=ca,src=/path/to/proxy-ca.pem -t goosed:latest .

FROM maven:3.9-eclipse-temurin-25 AS poms
WORKDIR /src
COPY --chmod=0755 deploy/docker/build-mvn /opt/build/
COPY deploy/docker/AddTrustedCerts.java /opt/build/
COPY .mvn .mvn
COPY pom.xml ./
COPY goose-core/pom.xml goose-core/
COPY goose-builtins/pom.xml goose-builtins/
COPY goose-acp/pom.xml goose-acp/
COPY goose-server/pom.xml goose-server/
COPY goose-cli/pom.xml goose-cli/

# Not part of the image (a build skips a stage it does not use): `docker build --target maven-cache .`
# fills the Maven cache below from the poms alone, so that the build stage then downloads little or
# nothing. CI does it once per machine before the tests (deploy/test/build-caches.sh), as it installs
# their npm fixtures. The Maven repository is a cache mount: kept between builds, never in an image.
FROM poms AS maven-cache
RUN --mount=type=cache,target=/root/.m2 --mount=type=secret,id=ca \
    /opt/build/build-mvn dependency:go-offline

FROM poms AS build
COPY goose-core/src goose-core/src
COPY goose-builtins/src goose-builtins/src
COPY goose-acp/src goose-acp/src
COPY goose-server/src goose-server/src
COPY goose-cli/src goose-cli/src
# The tests and the static analysis run in CI (bin/test), not in the image build: -Dmaven.test.skip
# compiles no tests (the test jars other modules name in test scope are made empty), and an empty
# errorprone.main compiles the main code without Error Prone and NullAway: the same classes for about
# a fifth of the CPU (docs/benchmarks.md). build-mvn: Maven with the secret `ca` trusted, if given.
# Then jdeps lists the Java modules the jars use, for the runtime below. jdeps runs C1 alone
# (-J-XX:TieredStopAtLevel=1): for a job of a few seconds C2's compilations cost more than they save
# (7-8 s of CPU instead of 10 s, same wall).
RUN --mount=type=cache,target=/root/.m2 --mount=type=secret,id=ca \
    /opt/build/build-mvn -Dmaven.test.skip=true -Derrorprone.main= package \
 && jdeps -J-XX:TieredStopAtLevel=1 --ignore-missing-deps --print-module-deps --multi-release 25 -q \
      --class-path 'goose-cli/target/lib/*' goose-cli/target/goose.jar goose-cli/target/lib/*.jar \
      > /opt/build/runtime-modules

# The Java runtime: the modules jdeps found (plus jdk.jfr for `-XX:StartFlightRecording` when
# diagnosing). A stage of its own that takes only the list of modules from the build: a change to the
# code that uses no new module leaves this stage's cache valid, and jlink does not run again.
# The JDK's default class-data archive, which the archive below extends, is dumped with the launcher's
# --enable-native-access (a mismatch makes every start log a CDS error and give up the archived module
# graph). jlink's --generate-cds-archive is not used: it dumps without that option, and also an
# archive for heaps without compressed pointers (over 32 GB) that the image never uses. Compressed
# modules: start-up reads its classes from the archives, not from them. jlink runs C1 alone, like
# jdeps (8.0 s of CPU instead of 12-13 s).
FROM maven:3.9-eclipse-temurin-25 AS java-runtime
COPY --from=build /opt/build/runtime-modules /opt/build/runtime-modules
RUN modules="$(cat /opt/build/runtime-modules)" \
 && echo "runtime modules: $modules,jdk.jfr" \
 && jlink -J-XX:TieredStopAtLevel=1 --add-modules "$modules,jdk.jfr" \
      --strip-java-debug-attributes --no-man-pages --no-header-files \
      --compress=zip-6 --output /opt/java/goose-runtime \
 && /opt/java/goose-runtime/bin/java -Xshare:dump --enable-native-access=ALL-UNNAMED >/dev/null

# The operating system of the image, without goose: it depends on nothing of this repository, so CI
# makes it once per machine before the tests too (`docker build --target os .`).
# curl for the health check; git and ca-certificates for the developer extension's shell commands;
# bubblewrap for the tool sandbox (prlimit, which it also uses, is in util-linux).
FROM debian:bookworm-slim AS os
RUN --mount=type=secret,id=ca \
    ca=""; if [ -s /run/secrets/ca ]; then ca="-o Acquire::https::CAInfo=/run/secrets/ca"; fi \
 && apt-get $ca update \
 && apt-get $ca install -y --no-install-recommends bubblewrap ca-certificates curl git \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/log/apt /var/log/dpkg.log \
 && useradd --create-home --uid 10001 --user-group --shell /bin/bash goose \
 && mkdir -p /home/goose/.config/goose /home/goose/.local/share/goose /home/goose/.local/state/goose /home/goose/work \
 && chown -R goose:goose /home/goose

FROM os
ENV JAVA_HOME=/opt/java/goose-runtime \
    PATH=/opt/java/goose-runtime/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    LANG=C.UTF-8
COPY --from=java-runtime /opt/java/goose-runtime/ /opt/java/goose-runtime/
COPY --from=build /src/goose-cli/target/lib/ /opt/goose/lib/
COPY --from=build /src/goose-cli/target/goose.jar /opt/goose/goose.jar
COPY --chmod=0755 deploy/docker/goose /usr/local/bin/goose
COPY --chmod=0755 deploy/docker/train-archive /opt/goose/train-archive
# A training run writes the class-data archive /opt/goose/goose.jsa, which every start then maps
# read-only: start-up without loading and verifying the same classes again (deploy/docker/goose).
RUN /opt/goose/train-archive

# Labels of the OCI image spec; VERSION and REVISION come from the build (docs/deployment.md).
ARG VERSION=0.1.0-SNAPSHOT
ARG REVISION=unknown
ARG CREATED=unknown
LABEL org.opencontainers.image.title="goosed" \
      org.opencontainers.image.description="goosed for the JVM: an AI agent session server (REST + Server-Sent Events, MCP extensions, SQLite/PostgreSQL, multi-user)" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.base.name="debian:bookworm-slim"

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
