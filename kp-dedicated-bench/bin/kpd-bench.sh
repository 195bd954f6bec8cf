#!/usr/bin/env bash
# Times whole kpd processes: the README main job (`kp-dedicated-cli/target/kpd init`, the
# launcher next to kpd.jar; embedded emulator, output into a fresh temporary folder) and
# `kpd --version`. For each: warm-up runs, then the median of RUNS runs of wall time, CPU time
# (user + sys) and peak RSS (from /usr/bin/time -v), and how long the process took to exit after its last line of output.
#
# Usage: kp-dedicated-bench/bin/kpd-bench.sh [path/to/kpd.jar]
#   default jar: kp-dedicated-cli/target/kpd.jar, else kp-dedicated-examples/target/kpd.jar
# Environment:
#   RUNS=5         measured runs per case
#   WARMUP=1       unmeasured runs per case first
#   JAVA=java      the java launcher
#   JAVA_OPTS=     extra JVM flags, e.g. JAVA_OPTS="-XX:+UseSerialGC"
#   CASES="init version"   which cases to run
#   LAUNCHER=path/to/kpd   the launcher script to time (default: the `kpd` next to the jar);
#                  LAUNCHER=off times `java $JAVA_OPTS -jar kpd.jar` instead;
#                  its cache folder is a new one under the temporary folder, and after the
#                  warm-up the script waits while the launcher makes its AppCDS archive
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
jar=${1:-}
if [[ -z "$jar" ]]; then
  jar="$root/kp-dedicated-cli/target/kpd.jar"
  [[ -f "$jar" ]] || jar="$root/kp-dedicated-examples/target/kpd.jar"
fi
[[ -f "$jar" ]] || { echo "no kpd.jar at $jar: build it first (mvn -B -q package -DskipTests)" >&2; exit 2; }
jar=$(cd "$(dirname "$jar")" && pwd)/$(basename "$jar")
[[ -x /usr/bin/time ]] || { echo "needs GNU time at /usr/bin/time (package 'time')" >&2; exit 2; }

RUNS=${RUNS:-5}
WARMUP=${WARMUP:-1}
JAVA=${JAVA:-java}
JAVA_OPTS=${JAVA_OPTS:-}
CASES=${CASES:-init version}
LAUNCHER=${LAUNCHER-default}
if [[ "$LAUNCHER" == default ]]; then
  # The README main job runs the launcher next to the jar.
  LAUNCHER=$(dirname "$jar")/kpd
  [[ -x "$LAUNCHER" ]] || LAUNCHER=
fi
[[ "$LAUNCHER" == off ]] && LAUNCHER=
if [[ -n "$LAUNCHER" ]]; then
  LAUNCHER=$(cd "$(dirname "$LAUNCHER")" && pwd)/$(basename "$LAUNCHER")
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_CACHE_HOME="$work/cache"

# Runs one case once in a new empty folder; prints "wall_ms cpu_ms rss_kib exit_after_last_line_ms".
run_once() {
  local case=$1 dir timefile start end last line code
  dir=$(mktemp -d "$work/run.XXXXXX")
  timefile="$dir.time"
  local -a cmd
  # shellcheck disable=SC2206 # JAVA_OPTS is a list of flags
  cmd=("$JAVA" $JAVA_OPTS -jar "$jar")
  if [[ -n "$LAUNCHER" ]]; then cmd=("$LAUNCHER"); fi
  case $case in
    init) cmd+=(init) ;;
    version) cmd+=(--version) ;;
    *) echo "unknown case $case" >&2; exit 2 ;;
  esac
  start=$EPOCHREALTIME
  last=$start
  # The reader stamps every line; it sees end-of-file when the process has exited.
  while IFS= read -r line; do
    last=$EPOCHREALTIME
    printf '%s\n' "$line" >>"$dir.log"
  done < <(cd "$dir" && env -u IBMCLOUD_API_KEY /usr/bin/time -v -o "$timefile" "${cmd[@]}" </dev/null 2>&1; echo "exit=$?" >"$dir.code")
  wait $! 2>/dev/null || true
  end=$EPOCHREALTIME
  code=$(cat "$dir.code" 2>/dev/null || echo "exit=?")
  if [[ "$code" != "exit=0" ]]; then
    echo "kpd $case failed ($code); its output:" >&2
    cat "$dir.log" >&2
    exit 1
  fi
  awk -v start="$start" -v end="$end" -v last="$last" '
    /User time \(seconds\)/ { user = $NF }
    /System time \(seconds\)/ { sys = $NF }
    /Maximum resident set size/ { rss = $NF }
    END { printf "%d %d %d %d\n", (end - start) * 1000, (user + sys) * 1000, rss, (end - last) * 1000 }
  ' "$timefile"
  rm -rf "$dir" "$dir.log" "$dir.time" "$dir.code"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

echo "jar: $jar${LAUNCHER:+, launcher: $LAUNCHER}"
echo "java: $("$JAVA" -version 2>&1 | head -1)${JAVA_OPTS:+, flags: $JAVA_OPTS}"
echo "runs: $WARMUP warm-up + median of $RUNS; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| case | wall (s) | CPU user+sys (s) | peak RSS (MiB) | exit after last line (ms) |"
echo "|---|---|---|---|---|"
for c in $CASES; do
  for ((i = 0; i < WARMUP; i++)); do run_once "$c" >/dev/null; done
  if [[ -n "$LAUNCHER" ]]; then
    # A command's first run through the launcher makes its class archive in the background
    # (not --version): wait while it does.
    sleep 1
    for ((i = 0; i < 300; i++)); do
      compgen -G "$XDG_CACHE_HOME/kpd/*.lock" >/dev/null || break
      sleep 1
    done
  fi
  samples=$(for ((i = 0; i < RUNS; i++)); do run_once "$c"; done)
  wall=$(awk '{ print $1 }' <<<"$samples" | median)
  cpu=$(awk '{ print $2 }' <<<"$samples" | median)
  rss=$(awk '{ print $3 }' <<<"$samples" | median)
  exitms=$(awk '{ print $4 }' <<<"$samples" | median)
  label=$([[ $c == init ]] && echo "kpd init" || echo "kpd --version")
  awk -v l="$label" -v w="$wall" -v c="$cpu" -v r="$rss" -v e="$exitms" \
    'BEGIN { printf "| %s | %.2f | %.2f | %.0f | %d |\n", l, w / 1000, c / 1000, r / 1024, e }'
  if [[ -n "${VERBOSE:-}" ]]; then echo "$samples" | sed 's/^/  sample (wall_ms cpu_ms rss_kib exit_ms): /'; fi
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
