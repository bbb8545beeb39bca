#!/usr/bin/env bash
# TEST FIXTURE, like standins.sh (run after it): fills, once per machine, the caches of the image's
# build that depend on nothing but the poms and the base images: the Maven repository of the build
# (the Dockerfile's stage maven-cache fills its cache mount from the poms alone) and the image's
# operating system (stage os: Debian slim, its packages, the user). The container tests' image build
# (goose-deploy-tests TestImage) then compiles, links and trains, and downloads nothing, as a build
# on a developer's machine after the first one. .ci/run calls it before the tests, as it installs
# their npm fixtures; without it the tests' build does the same work itself. Uses /usr/bin/docker
# (or $DOCKER) and the build secret `ca` of TestImage ($GOOSE_BUILD_CA, default the system's CA
# bundle), so that both builds share their cache.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
DOCKER="${DOCKER:-/usr/bin/docker}"
ca="${GOOSE_BUILD_CA:-/etc/ssl/certs/ca-certificates.crt}"
secret=()
[[ -r "$ca" ]] && secret=(--secret "id=ca,src=$ca")
started=$SECONDS
for target in maven-cache os; do
  # An untagged image per stage, removed at once: what stays is the build cache.
  image="$(DOCKER_BUILDKIT=1 "$DOCKER" build -q "${secret[@]}" --target "$target" "$root")"
  "$DOCKER" rmi "$image" >/dev/null 2>&1 || true
done
echo "build-caches: the image build's Maven repository and operating system ready in $((SECONDS - started)) s" >&2
