#!/usr/bin/env bash
# bench/serve.sh: `gopsi serve` beside Debian's prometheus-process-exporter on the same
# processes and the same grouping (by comm), and `gopsi ps aux` for scale.
#
#   bench/serve.sh [N]          N idle processes (default 10000), 3 scrapes per exporter
#   bench/serve.sh churn [K]    K scrapes (default 1000) of gopsi serve while processes with
#                               new names come and go: resident memory before and after
#
# Per exporter: start-up until the first answer, CPU (user+sys of the exporter process,
# from /proc/PID/stat) and wall time per scrape (the first, then the median of the rest),
# peak RSS (VmHWM). Needs curl, prometheus-process-exporter and bench/spawn-procs
# (or SPAWN=path). Run from the repository's root after `cargo build --release`.
set -euo pipefail
cd "$(dirname "$0")/.."
GOPSI=${GOPSI:-target/release/gopsi}
SPAWN=${SPAWN:-bench/spawn-procs}
HZ=$(getconf CLK_TCK)
TMP=$(mktemp -d)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -n "${LEADER:-}" ] && "$SPAWN" --kill "$LEADER" >/dev/null 2>&1 || true
  rm -rf "$TMP"
}
trap cleanup EXIT

# /proc/PID/stat with a comm that may hold spaces: count fields from the right.
ticks() { local s; s=$(<"/proc/$1/stat"); s=${s##*) }; set -- $s; echo $(( ${12} + ${13} )); }
hwm() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status"; }
rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
busy() { # percent of CPU busy over one second, machine-wide
  local a b; a=($(head -1 /proc/stat)); sleep 1; b=($(head -1 /proc/stat))
  local t=0 i=0; for k in 1 2 3 4 5 6 7 8; do t=$(( t + b[k] - a[k] )); done
  i=$(( b[4] - a[4] + b[5] - a[5] )); echo $(( 100 * (t - i) / (t > 0 ? t : 1) ))
}
wait_http() { # URL, seconds
  local end=$(( $(date +%s) + $2 ))
  until curl -fs -o /dev/null --max-time 120 "$1"; do
    [ "$(date +%s)" -lt "$end" ] || { echo "no answer from $1" >&2; return 1; }
    sleep 0.2
  done
}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo $(( 20000 + RANDOM % 20000 )); }

# measure NAME PID URL: start-up was measured by the caller; prints one table row.
measure() {
  local name=$1 pid=$2 url=$3 n=${SCRAPES:-3} i t0 t1 w cpu=() wall=()
  for i in $(seq "$n"); do
    t0=$(ticks "$pid")
    w=$(curl -fs -o "$TMP/body" -w '%{time_total}' --max-time 300 "$url")
    t1=$(ticks "$pid")
    cpu+=($(( (t1 - t0) * 1000 / HZ )))
    wall+=("$(printf '%.0f' "$(echo "$w * 1000" | bc -l)")")
  done
  local series; series=$(grep -vc '^#' "$TMP/body")
  local rest_cpu rest_wall
  rest_cpu=$(printf '%s\n' "${cpu[@]:1}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  rest_wall=$(printf '%s\n' "${wall[@]:1}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  printf '| %s | %s | %s / %s | %s / %s | %s | %s |\n' "$name" "$START_MS" \
    "${cpu[0]}" "$rest_cpu" "${wall[0]}" "$rest_wall" "$(( $(hwm "$pid") / 1024 ))" "$series"
}

start() { # NAME CMD...: starts an exporter, sets PID and START_MS
  local t0; t0=$(date +%s%N)
  "${@:2}" >/dev/null 2>&1 &
  PID=$!; PIDS+=("$PID")
  wait_http "$URL" 600
  START_MS=$(( ($(date +%s%N) - t0) / 1000000 ))
  # The start-up answer above was a scrape too; the measured scrapes follow.
}

if [ "${1:-}" = churn ]; then
  K=${2:-1000}
  PORT=$(free_port); URL=http://127.0.0.1:$PORT/metrics
  start gopsi "$GOPSI" serve --listen "127.0.0.1:$PORT" --top 10
  cp "$(command -v sleep)" "$TMP/churn"
  for i in $(seq "$K"); do
    cp "$TMP/churn" "$TMP/gpchurn$((i % 500))" 2>/dev/null || true
    "$TMP/gpchurn$((i % 500))" 0.05 & c=$!
    curl -fs -o /dev/null --max-time 30 "$URL"
    wait "$c" 2>/dev/null || true
    [ "$i" = 50 ] && R50=$(rss "$PID")
  done
  echo "churn: $K scrapes, 500 process names coming and going: VmRSS after 50 scrapes ${R50} kB, after $K $(rss "$PID") kB, peak $(hwm "$PID") kB"
  exit 0
fi

N=${1:-10000}
[ -n "$SPAWN" ] || { echo "spawn-procs not found (set SPAWN=)" >&2; exit 1; }
command -v prometheus-process-exporter >/dev/null || { echo "prometheus-process-exporter missing" >&2; exit 1; }
echo "machine: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), CPU busy before start $(busy)%"
LEADER=$("$SPAWN" "$N")
sleep 2
echo "spawned $N; /proc holds $(ls -d /proc/[0-9]* | wc -l) processes"
cat > "$TMP/comm.yml" <<'EOF'
process_names:
  - name: "{{.Comm}}"
    cmdline:
      - '.+'
EOF
echo
echo "| exporter | start-up ms | CPU ms per scrape (first / median of rest) | wall ms per scrape (first / median of rest) | peak RSS MiB | series |"
echo "|---|---:|---:|---:|---:|---:|"
PORT=$(free_port); URL=http://127.0.0.1:$PORT/metrics
start pe prometheus-process-exporter -config.path "$TMP/comm.yml" -web.listen-address "127.0.0.1:$PORT"
measure "process-exporter 0.7.10 (config by comm)" "$PID" "$URL"; kill "$PID"; wait "$PID" 2>/dev/null || true

PORT=$(free_port); URL=http://127.0.0.1:$PORT/metrics
start g1 "$GOPSI" serve --listen "127.0.0.1:$PORT" --names process-exporter --config "$TMP/comm.yml"
measure "gopsi serve --names process-exporter --config (same)" "$PID" "$URL"; kill "$PID"; wait "$PID" 2>/dev/null || true

PORT=$(free_port); URL=http://127.0.0.1:$PORT/metrics
start g2 "$GOPSI" serve --listen "127.0.0.1:$PORT" --group-by comm
measure "gopsi serve --group-by comm" "$PID" "$URL"; kill "$PID"; wait "$PID" 2>/dev/null || true

# gopsi ps aux, three runs: CPU (user+sys) each.
TIMEFORMAT='%U %S'
ps_cpu=()
for i in 1 2 3; do
  t=$( { time "$GOPSI" ps aux >/dev/null; } 2>&1 )
  ps_cpu+=("$(echo "$t" | awk '{ printf "%.0f", ($1 + $2) * 1000 }')")
done
echo
echo "gopsi ps aux CPU ms (3 runs): ${ps_cpu[*]}"
echo "machine after: load $(cut -d' ' -f1-3 /proc/loadavg)"
