#!/usr/bin/env bash
# Checks that the build is reproducible: builds the reactor twice from clean (`verify`, tests
# skipped, so javadoc jars are made too) and compares every jar it produces byte for byte (module
# jars, sources and javadoc jars, kpd.jar, examples.jar). Prints the SHA-256 of each jar; exits 0
# only when both builds gave identical jars.
#
# Usage: scripts/check-reproducible.sh [extra Maven arguments, e.g. -o or -Pbench]
set -euo pipefail
cd "$(dirname "$0")/.."

first=$(mktemp -d)
trap 'rm -rf "$first"' EXIT

jars() {
  find . -path ./.git -prune -o -type f -path './*/target/*.jar' -print \
    | awk -F/ 'NF == 4' | sort
}

build() {
  echo "== build $1: mvn -B -q ${*:2} clean verify -DskipTests" >&2
  mvn -B -q "${@:2}" clean verify -DskipTests
}

build 1 "$@"
count=0
while IFS= read -r jar; do
  mkdir -p "$first/$(dirname "$jar")"
  cp "$jar" "$first/$jar"
  count=$((count + 1))
done < <(jars)
if [ "$count" -eq 0 ]; then
  echo "no jars were built" >&2
  exit 1
fi

build 2 "$@"
differ=0
while IFS= read -r jar; do
  if [ ! -f "$jar" ]; then
    echo "MISSING in build 2  $jar"
    differ=1
  elif cmp -s "$first/$jar" "$jar"; then
    echo "identical  $(sha256sum "$jar" | cut -c1-64)  ${jar#./}"
  else
    echo "DIFFERENT  ${jar#./}"
    differ=1
    if command -v unzip >/dev/null 2>&1; then
      diff <(unzip -v "$first/$jar" | tail -n +4) <(unzip -v "$jar" | tail -n +4) | head -20 || true
    fi
  fi
done < <(cd "$first" && jars)
if [ "$(jars | wc -l)" -ne "$count" ]; then
  echo "build 2 produced $(jars | wc -l) jars, build 1 produced $count" >&2
  differ=1
fi

if [ "$differ" -ne 0 ]; then
  echo "NOT reproducible: the two builds differ (see above)" >&2
  exit 1
fi
echo "reproducible: $count jars byte-identical across two clean builds"
