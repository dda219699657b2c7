#!/usr/bin/env bash
# The library against spawning `ps aux` and parsing it (issue 10's question), at 100, 1,000
# and 10,000 extra idle processes, through bench/bench-ps.
#   bench/listing.sh [bench-ps options]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --example listing_vs_ps >&2
bench=${GOPSI_BENCH:-bench}
exe=target/release/examples/listing_vs_ps
exec "$bench/bench-ps" --no-strace "$@" "$exe lib" "$exe ps" "target/release/gopsi ps aux"
