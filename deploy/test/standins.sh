#!/usr/bin/env bash
# TEST FIXTURE, NOT A PRODUCT IMAGE. Makes local stand-ins for the public base images that the
# Dockerfile (FROM) and docker-compose.yml (image:) name, for machines that reach no image registry
# (CI): a Docker engine resolves a local tag before it would pull, so the repository's own Dockerfile
# and Compose file run unchanged on top of them. Users build on the real public images instead.
#
#   debian:bookworm-slim          a minimal Debian 12 from debootstrap (this machine's apt mirror)
#   maven:3.9-eclipse-temurin-25  that + the JDK 25 of this machine at /opt/java/openjdk + Debian's
#                                 Maven (3.8.7), laid out like the real image (JAVA_HOME, PATH)
#   postgres:18                   that + Debian's PostgreSQL (15) behind an entry point honouring
#                                 POSTGRES_USER / POSTGRES_PASSWORD / POSTGRES_DB and PGDATA, with
#                                 pg_isready on PATH
#
# Every stand-in carries the label org.goosed.standin=<hash of its inputs>; an image whose label
# matches is kept, so a second run takes seconds. Downloaded .deb files are cached under
# $GOOSE_STANDINS_CACHE (default ~/.cache/goosed-standins). Needs root (debootstrap) and a Docker
# engine; uses /usr/bin/docker (or $DOCKER). GOOSE_STANDIN_JDK picks the JDK (default: a JDK 25
# under /usr/lib/jvm).
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
source "$here/../../bin/lib.sh"

DOCKER="${DOCKER:-/usr/bin/docker}"
SUITE=bookworm
SLIM="debian:$SUITE-slim"
MAVEN="maven:3.9-eclipse-temurin-25"
POSTGRES="postgres:18"
cache="${GOOSE_STANDINS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/goosed-standins}"

say() { echo "standins: $*" >&2; }
die() {
  say "$*"
  exit 1
}

[[ "$(id -u)" -eq 0 ]] || die "run as root: debootstrap makes the Debian root file system"
command -v debootstrap >/dev/null || die "debootstrap is missing: apt-get install debootstrap"
"$DOCKER" version --format '{{.Server.Version}}' >/dev/null || die "no Docker engine answers ($DOCKER version)"

# A JDK 25, like the image's build stage (the real image has Temurin 25).
jdk="${GOOSE_STANDIN_JDK:-}"
if [[ -z "$jdk" ]]; then
  for dir in /usr/lib/jvm/*/; do
    dir="${dir%/}"
    [[ -L "$dir" ]] && continue
    if [[ "$(goose_jdk_major "$dir")" == 25 ]]; then
      jdk="$dir"
      break
    fi
  done
fi
[[ -n "$jdk" && -x "$jdk/bin/jlink" ]] || die "no JDK 25 found under /usr/lib/jvm (set GOOSE_STANDIN_JDK)"

# The Debian archive this machine's apt uses (apt's own reading of its sources).
mirror="$(apt-get indextargets --format '$(SITE) $(RELEASE)' 'Identifier: Packages' 2>/dev/null |
  awk -v s="$SUITE" '$2 == s { print $1; exit }')"
[[ -n "$mirror" ]] || die "no apt source for Debian $SUITE on this machine to use as the debootstrap mirror"

# The label value: a hash of what makes an image (the values and files named).
inputs_hash() {
  local arg
  for arg in "$@"; do
    if [[ -f "$arg" ]]; then cat "$arg"; else printf '%s\n' "$arg"; fi
  done | sha256sum | cut -c1-16
}

is_current() {
  local label
  label="$("$DOCKER" image inspect --format '{{index .Config.Labels "org.goosed.standin"}}' "$1" 2>/dev/null || true)"
  [[ "$label" == "$2" ]]
}

started=$SECONDS

# --- debian:bookworm-slim ----------------------------------------------------------------------
# Bump the version when the commands below change.
slim_hash="$(inputs_hash slim-v1 "$SUITE" "$mirror")"
if is_current "$SLIM" "$slim_hash"; then
  say "$SLIM is current"
else
  say "making $SLIM with debootstrap from $mirror ..."
  mkdir -p "$cache/debs"
  root="$(mktemp -d /tmp/goosed-standin-rootfs.XXXXXX)"
  trap 'rm -rf "$root"' EXIT
  debootstrap --variant=minbase --cache-dir="$cache/debs" "$SUITE" "$root" "$mirror" >"$cache/debootstrap.log" 2>&1 ||
    die "debootstrap failed, see $cache/debootstrap.log"
  # As the real slim image: apt sources of the release only, no package lists, no caches.
  echo "deb $mirror $SUITE main" >"$root/etc/apt/sources.list"
  rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb "$root"/var/log/*
  tar -C "$root" --numeric-owner -c . |
    "$DOCKER" import \
      --change 'CMD ["bash"]' \
      --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      --change "LABEL org.goosed.standin=$slim_hash" \
      - "$SLIM" >/dev/null
  rm -rf "$root"
  trap - EXIT
  say "$SLIM made"
fi

# --- maven:3.9-eclipse-temurin-25 and postgres:18, built on the slim stand-in -------------------
# The build context is a tar stream: the stand-in's Dockerfile and files, the JDK as jdk/, and the
# truststore tool of deploy/docker.
build_standin() {
  local tag="$1" dockerfile="$2" hash="$3"
  shift 3
  if is_current "$tag" "$hash"; then
    say "$tag is current"
    return
  fi
  say "making $tag ..."
  tar -c -h -C "$here/standins" . -C "$here/../docker" AddTrustedCerts.java "$@" |
    DOCKER_BUILDKIT=1 "$DOCKER" build -q -f "$dockerfile" --label "org.goosed.standin=$hash" -t "$tag" - >/dev/null
  say "$tag made"
}

jdk_release="$(sha256sum "$jdk/release" | cut -c1-16)"
build_standin "$MAVEN" maven.Dockerfile \
  "$(inputs_hash "$slim_hash" "$jdk_release" "$here/standins/maven.Dockerfile" "$here/../docker/AddTrustedCerts.java")" \
  -C "$(dirname "$jdk")" --transform "s,^$(basename "$jdk"),jdk," "$(basename "$jdk")"
build_standin "$POSTGRES" postgres.Dockerfile \
  "$(inputs_hash "$slim_hash" "$here/standins/postgres.Dockerfile" "$here/standins/postgres-entrypoint.sh")"

say "stand-in base images ready in $((SECONDS - started)) s"
