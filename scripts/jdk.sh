# Sourced by ./heft, ./build and .ci/run: find a JDK 25 and export JAVA_HOME.
# The machines carry the default JDK 17 plus a Temurin 25 under /usr/lib/jvm; we never rely on `java` on PATH.
# Maven 3.8 (guava) touches sun.misc.Unsafe; JDK 25 warns loudly unless told this is expected.
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
heft_jdk_is_25_plus() {
  local v="" line
  # Read with builtins: every fork and exec costs a few ms of the launcher's start (about 6 ms each measured here).
  if [ -f "$1/release" ]; then
    while IFS= read -r line || [ -n "$line" ]; do
      case "$line" in JAVA_VERSION=\"[0-9]*) v="${line#JAVA_VERSION=\"}"; v="${v%%[!0-9]*}"; break ;; esac
    done <"$1/release"
  fi
  if [ -z "$v" ]; then
    v="$("$1/bin/java" -version 2>&1 | head -n 1 | sed -n 's/.*version "\([0-9]*\).*/\1/p')"
  fi
  [ -n "$v" ] && [ "$v" -ge 25 ]
}
heft_find_jdk25() {
  local candidate
  for candidate in "${HEFT_JAVA_HOME:-}" "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk* /usr/lib/jvm/*-25* /usr/lib/jvm/jdk-25* /opt/java/*25*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] || continue
    # The JDK's release file names its version (JAVA_VERSION="25.0.3"); reading it costs nothing, while starting
    # `java -version` costs ~130 ms of CPU per candidate on every launcher call (bench/RESULTS.md).
    if heft_jdk_is_25_plus "$candidate"; then
      export JAVA_HOME="$candidate"
      export PATH="$JAVA_HOME/bin:$PATH"
      return 0
    fi
  done
  echo "heft: no JDK 25 found (looked at \$HEFT_JAVA_HOME, \$JAVA_HOME and /usr/lib/jvm/*25*)." >&2
  echo "heft: install a JDK 25 (e.g. Temurin 25) or point HEFT_JAVA_HOME at one." >&2
  return 1
}
