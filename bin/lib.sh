# Shared by bin/goose, bin/goosed and bin/test (sourced, not run): locate the repository, pick a
# JDK >= 21, and build with Maven when the build output is missing or older than the sources.

GOOSE_MIN_JAVA=21

# The repository root, from this file's own location, so the scripts work from any directory
# and through symlinks.
GOOSE_ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
GOOSE_JAR="$GOOSE_ROOT/goose-cli/target/goose.jar"
GOOSE_LIB="$GOOSE_ROOT/goose-cli/target/lib"

goose_die() {
  echo "goose: $*" >&2
  exit 1
}

# Major version of the JDK at $1 (a JAVA_HOME), or nothing if it is not a JDK.
goose_jdk_major() {
  local home="$1" version
  [[ -x "$home/bin/java" && -x "$home/bin/javac" ]] || return 0
  if [[ -f "$home/release" ]]; then
    version="$(sed -n 's/^JAVA_VERSION="\(.*\)"/\1/p' "$home/release")"
  else
    version="$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n1)"
  fi
  version="${version#1.}" # 1.8 -> 8
  echo "${version%%[.+-]*}"
}

# Sets JAVA_HOME to a JDK >= 21: $JAVA_HOME if it is one, else the newest under /usr/lib/jvm.
goose_find_jdk() {
  local major best="" best_major=0 dir
  if [[ -n "${JAVA_HOME:-}" ]]; then
    major="$(goose_jdk_major "$JAVA_HOME")"
    if [[ -n "$major" && "$major" -ge "$GOOSE_MIN_JAVA" ]]; then
      export JAVA_HOME
      return
    fi
  fi
  for dir in /usr/lib/jvm/*/; do
    dir="${dir%/}"
    [[ -L "$dir" ]] && continue # Debian's aliases point at the real directories
    major="$(goose_jdk_major "$dir")"
    if [[ -n "$major" && "$major" -gt "$best_major" ]]; then
      best="$dir"
      best_major="$major"
    fi
  done
  if [[ -z "$best" || "$best_major" -lt "$GOOSE_MIN_JAVA" ]]; then
    goose_die "no JDK $GOOSE_MIN_JAVA or newer found (JAVA_HOME='${JAVA_HOME:-}'; newest in /usr/lib/jvm: ${best:-none}).
Install one, for example: sudo apt-get install openjdk-21-jdk-headless (or Temurin 25),
or point JAVA_HOME at a JDK $GOOSE_MIN_JAVA+."
  fi
  export JAVA_HOME="$best"
}

# True when goose.jar or its lib/ is missing, or a pom.xml or a main source file is newer than it.
goose_needs_build() {
  [[ -f "$GOOSE_JAR" && -d "$GOOSE_LIB" ]] || return 0
  local newer
  newer="$(find "$GOOSE_ROOT/pom.xml" "$GOOSE_ROOT"/goose-*/pom.xml "$GOOSE_ROOT"/goose-*/src/main \
    -newer "$GOOSE_JAR" -print -quit 2>/dev/null)"
  [[ -n "$newer" ]]
}

# MAVEN_OPTS for the chosen JDK: Maven's own libraries trip JDK 24+'s sun.misc.Unsafe warnings.
goose_maven_opts() {
  local opts="${MAVEN_OPTS:-}"
  if [[ "$(goose_jdk_major "$JAVA_HOME")" -ge 24 ]]; then
    opts="$opts --sun-misc-unsafe-memory-access=allow"
  fi
  echo "$opts"
}

# Builds when needed. Maven's output goes to stderr so stdout stays the command's own.
goose_build_if_needed() {
  goose_needs_build || return 0
  command -v mvn >/dev/null || goose_die "Maven is needed to build goose: sudo apt-get install maven"
  mkdir -p "$GOOSE_ROOT/target"
  (
    # One build at a time when several launchers start together.
    if command -v flock >/dev/null; then
      exec 9>"$GOOSE_ROOT/target/.build.lock"
      flock 9
    fi
    goose_needs_build || exit 0
    echo "goose: building (output missing or older than the sources)..." >&2
    PATH="$JAVA_HOME/bin:$PATH" MAVEN_OPTS="$(goose_maven_opts)" \
      mvn -B -q -Dstyle.color=never -f "$GOOSE_ROOT/pom.xml" -DskipTests package 1>&2 ||
      goose_die "build failed (see the Maven output above)"
    # Maven leaves an up-to-date jar untouched; mark it fresh so the next start does not rebuild.
    touch "$GOOSE_JAR"
  ) || exit 1
}

# Sets GOOSE_CDS_OPTS: a dynamic AppCDS archive per kind of command (server, cli) under
# goose-cli/target/cds/. The JVM writes it at the first exit when it is missing; later starts map the
# classes instead of loading them (about half the start-up CPU). An archive older than the jars, or
# whose header is not a dynamic archive's (a write cut short), is removed first so the next exit writes
# a fresh one. GOOSE_CDS=off turns this off.
goose_cds_opts() {
  GOOSE_CDS_OPTS=()
  [[ "${GOOSE_CDS:-on}" != off ]] || return 0
  local dir="$GOOSE_ROOT/goose-cli/target/cds" kind=cli magic=""
  [[ "${1:-}" == server || "${1:-}" == serve ]] && kind=server
  mkdir -p "$dir" 2>/dev/null && [[ -w "$dir" ]] || return 0
  local archive="$dir/$kind-${JAVA_HOME##*/}.jsa" # one per JDK: an archive only fits the JDK that wrote it
  if [[ -f "$archive" ]]; then
    IFS= LC_ALL=C read -r -d '' -n 4 magic <"$archive" || true
    # The JVM notices changed jars but does not always re-create the archive: drop a stale one here.
    if [[ "$magic" != $'\xa8\xab\x0b\xf0' || -n "$(find "$GOOSE_JAR" "$GOOSE_LIB" -newer "$archive" -print -quit)" ]]; then
      rm -f "$archive"
    fi
  fi
  GOOSE_CDS_OPTS=(-XX:+AutoCreateSharedArchive "-XX:SharedArchiveFile=$archive")
}

# The server's AOT cache (JDK 25+, JEP 483/514/515), written by bin/aot-train: one per JDK release,
# since a cache only fits the JDK build that wrote it. Prints its path when it exists, is not older
# than the jars (the JVM would refuse it then) and GOOSE_AOT is not off; prints nothing otherwise.
goose_aot_cache() {
  [[ "${GOOSE_AOT:-on}" != off ]] || return 0
  [[ "$(goose_jdk_major "$JAVA_HOME")" -ge 25 ]] || return 0
  local version
  version="$(sed -n 's/^JAVA_RUNTIME_VERSION="\(.*\)"/\1/p' "$JAVA_HOME/release" 2>/dev/null)"
  echo "$GOOSE_ROOT/goose-cli/target/aot/server-${JAVA_HOME##*/}-${version:-unknown}.aot"
}

# Sets GOOSE_CDS_OPTS for `goose server`: -XX:AOTCache=... when bin/aot-train wrote a cache that fits
# this JDK and these jars, else the self-maintaining dynamic archive (goose_cds_opts). A cache the JVM
# still finds unusable (another JDK build, changed jars) is skipped with a warning the launcher's -Xlog
# settings keep quiet, and the start goes on without it (-XX:AOTMode=auto, the default, as -Xshare:auto).
goose_archive_opts() {
  local cache
  if [[ "${1:-}" == server || "${1:-}" == serve ]]; then
    cache="$(goose_aot_cache)"
    if [[ -n "$cache" && -s "$cache" && -z "$(find "$GOOSE_JAR" "$GOOSE_LIB" -newer "$cache" -print -quit 2>/dev/null)" ]]; then
      GOOSE_CDS_OPTS=("-XX:AOTCache=$cache")
      return
    fi
  fi
  goose_cds_opts "${1:-}"
}

# Sets GOOSE_SQLITE_OPTS: sqlite-jdbc's native library, taken out of its jar once into
# goose-cli/target/native/ and loaded from there. Otherwise sqlite-jdbc copies it to a new temp file
# at every start and compares the copy byte for byte: about 150 ms of the server's start-up on 2 busy
# cores (docs/benchmarks.md). Glibc Linux on x86_64/aarch64 only (the library sqlite-jdbc itself
# would pick there), and only when unzip is installed; anywhere else sqlite-jdbc does as it always does.
goose_sqlite_opts() {
  GOOSE_SQLITE_OPTS=()
  local arch jar dir
  case "$(uname -sm)" in
  "Linux x86_64") arch=x86_64 ;;
  "Linux aarch64") arch=aarch64 ;;
  *) return 0 ;;
  esac
  compgen -G "/lib/ld-musl-*" >/dev/null && return 0
  command -v unzip >/dev/null || return 0
  jar="$(compgen -G "$GOOSE_LIB/sqlite-jdbc-*.jar" | head -n1)"
  [[ -n "$jar" ]] || return 0
  dir="$GOOSE_ROOT/goose-cli/target/native/$(basename "$jar" .jar)-$arch"
  if [[ ! -s "$dir/libsqlitejdbc.so" || "$jar" -nt "$dir/libsqlitejdbc.so" ]]; then
    mkdir -p "$dir" 2>/dev/null && [[ -w "$dir" ]] || return 0
    # Into a temp file, then renamed: a launcher never loads a half-written library.
    unzip -p "$jar" "org/sqlite/native/Linux/$arch/libsqlitejdbc.so" >"$dir/.libsqlitejdbc.so.$$" 2>/dev/null &&
      [[ -s "$dir/.libsqlitejdbc.so.$$" ]] && mv -f "$dir/.libsqlitejdbc.so.$$" "$dir/libsqlitejdbc.so" ||
      { rm -f "$dir/.libsqlitejdbc.so.$$"; return 0; }
  fi
  GOOSE_SQLITE_OPTS=("-Dorg.sqlite.lib.path=$dir" "-Dorg.sqlite.lib.name=libsqlitejdbc.so")
}

# Heap, collector and native memory for the server, before JAVA_OPTS (which can override them): an
# idle server uses about 10 MB of heap, so start from 16 MB; on 1-2 CPUs the serial collector (G1's own
# structures cost ~35 MB of RSS there and its concurrent threads compete with requests for the two
# cores). On JDK 22+ the JVM gives the C library's free memory back to the system every second
# (-XX:TrimNativeHeapInterval): the JIT compilers' scratch memory after start-up otherwise stays
# resident, ~35 MB of an idle server's RSS. See docs/benchmarks.md for the figures.
goose_server_jvm_opts() {
  [[ "${1:-}" == "server" || "${1:-}" == "serve" ]] || return 0
  echo "-Xms16m"
  if [[ "$(nproc 2>/dev/null || echo 4)" -le 2 ]]; then
    echo "-XX:+UseSerialGC"
  fi
  if [[ "$(goose_jdk_major "$JAVA_HOME")" -ge 22 ]]; then
    echo "-XX:TrimNativeHeapInterval=1000"
  fi
}

# Replaces this process with the JVM running goose.cli.Main "$@". JAVA_OPTS is passed through.
# JVM log messages go to stderr: stdout belongs to the command (`goose openapi`, `goose mcp` speaks
# MCP on it).
goose_exec() {
  local -a java_opts=() defaults=()
  read -r -a java_opts <<<"${JAVA_OPTS:-}"
  goose_archive_opts "${1:-}"
  goose_sqlite_opts
  mapfile -t defaults < <(goose_server_jvm_opts "$@")
  exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xlog:disable -Xlog:all=warning,cds*=off,aot*=off:stderr \
    "${GOOSE_CDS_OPTS[@]}" "${GOOSE_SQLITE_OPTS[@]}" "${defaults[@]}" "${java_opts[@]}" -cp "$GOOSE_JAR:$GOOSE_LIB/*" goose.cli.Main "$@"
}
