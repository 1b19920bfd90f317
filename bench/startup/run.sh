#!/usr/bin/env bash
# Start-up of `slipway --version` once built, beside the JVM's own floor (`java -version`), the
# same launcher with each kind of class archive (SLIPWAY_CLASS_ARCHIVE=aot|cds|none), and two
# commands whose whole model is built (`copy --help`, `build --help`), measured side by side in
# one hyperfine run.
# Usage: RUNS=40 bench/startup/run.sh [hyperfine options]   (writes bench/startup/results.md)
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
command -v hyperfine >/dev/null || { echo "needs hyperfine (apt-get install hyperfine)" >&2; exit 1; }
java_home=$(bin/find-jdk)
runs=${RUNS:-40}
# Build if needed and make both archives, so that no measured run trains one.
./slipway --version > /dev/null
SLIPWAY_CLASS_ARCHIVE=cds ./slipway --version > /dev/null
./slipway --version > /dev/null
./slipway build --help > /dev/null   # the build command has an archive of its own
uptime
hyperfine --warmup 3 --runs "$runs" "$@" --export-markdown bench/startup/results.md \
  -n 'java -version (JVM floor)' "$java_home/bin/java -Xshare:auto -version" \
  -n './slipway --version' './slipway --version' \
  -n 'slipway --version, dynamic CDS archive' 'SLIPWAY_CLASS_ARCHIVE=cds ./slipway --version' \
  -n 'slipway --version, no archive' 'SLIPWAY_CLASS_ARCHIVE=none ./slipway --version' \
  -n './slipway copy --help' './slipway copy --help' \
  -n './slipway build --help' './slipway build --help'
uptime
cat bench/startup/results.md
