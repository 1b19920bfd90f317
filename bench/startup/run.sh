#!/usr/bin/env bash
# Start-up of `slipway --version` once built, beside the JVM's own floor (`java -version`) and
# the same jar without the CDS archive, measured side by side in one hyperfine run.
# Usage: bench/startup/run.sh [hyperfine options]   (writes bench/startup/results.md)
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
command -v hyperfine >/dev/null || { echo "needs hyperfine (apt-get install hyperfine)" >&2; exit 1; }
java_home=$(bin/find-jdk)
./slipway --version > /dev/null   # build if needed and make the CDS archive
./slipway --version > /dev/null
jar=slipway-cli/target/slipway.jar
hyperfine --warmup 5 --runs 40 "$@" --export-markdown bench/startup/results.md \
  -n 'java -version (JVM floor)' "$java_home/bin/java -Xshare:auto -version" \
  -n './slipway --version' './slipway --version' \
  -n 'jar without CDS archive' "$java_home/bin/java -Xshare:auto --enable-native-access=ALL-UNNAMED -jar $jar --version"
cat bench/startup/results.md
