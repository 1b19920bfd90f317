#!/usr/bin/env bash
# Builds one Dockerfile with `slipway build` and with `buildah bud --isolation chroot --layers`,
# side by side under hyperfine, in three situations:
#   cold         no build cache (each tool's state directory wiped before every run)
#   no-change    everything cached, nothing in the context changed
#   one-file     one small file under src/c/ rewritten before every run
# The context (generate.py, fixed seed) holds 20,000 small files under src/{a,b,c,d}/ and 500 MB
# of large, half-compressible files under big/; the Dockerfile copies them in six COPY steps over
# a local busybox base (generate.py busybox; nothing is pulled from the internet). buildah uses the
# faster of its overlay and vfs storage drivers, picked by one cold build with each. slipway runs
# through ./slipway, so JVM start-up is included. The page cache is left warm for both tools.
#
# The no-change and one-file situations then run again with a build server on slipway's root
# (`slipway builder serve`, started after the three above and stopped at the end): `slipway build`
# still starts a JVM, which relays the build to the server's warm one. The server first serves
# SERVER_WARMUPS no-change builds (default 20, untimed), as a server that has been running a while
# has.
#
# It then checks, from slipway's --progress=plain lines, that a no-change rebuild computes no step
# and that the one-file change re-does exactly COPY src/c/ and the steps after it (src/d/,
# config/), taking COPY big/, src/a/ and src/b/ from the cache; the script fails if not.
# Needs buildah, hyperfine, python3, bc, busybox (Debian's busybox-static).
#
# usage: bench/build/run.sh [WORKDIR]
#   SEED=n (7), SMALL_FILES=n (20000), LARGE_BYTES=bytes (524288000), RUNS=n (3), QUICK_RUNS=n (10),
#   SERVER_WARMUPS=n (20)
#   DRIVER=overlay|vfs skips the driver probe
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mkdir -p "${1:-/tmp/slipway-bench-build}" && cd "${1:-/tmp/slipway-bench-build}" && pwd)
seed=${SEED:-7}
small=${SMALL_FILES:-20000}
large=${LARGE_BYTES:-524288000}
runs=${RUNS:-3}
quick_runs=${QUICK_RUNS:-10}
server_warmups=${SERVER_WARMUPS:-20}
for tool in buildah hyperfine python3 busybox bc; do
  command -v "$tool" >/dev/null || { echo "bench/build: $tool is missing (apt-get install ${tool/busybox/busybox-static})" >&2; exit 2; }
done

"$root/slipway" --version >/dev/null
# The build command has a class archive of its own; make it before any timed run.
"$root/slipway" build --help >/dev/null

context=$work/context
stamp="seed=$seed small=$small large=$large"
if [ "$(cat "$work/context.stamp" 2>/dev/null)" != "$stamp" ]; then
  rm -rf "$context" "$work/context.stamp"
  echo "generating the context ($stamp)..." >&2
  python3 "$here/generate.py" context "$context" "$seed" "$small" "$large"
  echo "$stamp" >"$work/context.stamp"
fi
if [ ! -f "$work/busybox/index.json" ]; then
  rm -rf "$work/busybox"
  python3 "$here/generate.py" busybox "$work/busybox"
fi
echo "context: $(find "$context" -type f | wc -l) files, $(du -sh "$context" | cut -f1)" >&2

# One script per action, so hyperfine runs exactly what is shown here.
cat >"$work/slipway-build" <<SH
#!/usr/bin/env bash
# The plain progress of the last run is kept for the cache checks.
# --builder local: in this process, even if a build server were running on the root.
exec "$root/slipway" build --builder local --root "$work/slipway-root" --progress=plain \\
  --build-arg BASE=base --build-context base=oci-layout://$work/busybox -t bench:latest \\
  "$context" >"$work/slipway-last.log" 2>&1
SH
cat >"$work/slipway-served-build" <<SH
#!/usr/bin/env bash
# --builder server: fails unless the build server runs the build.
exec "$root/slipway" build --builder server --root "$work/slipway-root" --progress=plain \\
  --build-arg BASE=base --build-context base=oci-layout://$work/busybox -t bench:latest \\
  "$context" >"$work/slipway-last.log" 2>&1
SH
cat >"$work/slipway-reset" <<SH
#!/usr/bin/env bash
rm -rf "$work/slipway-root"
SH
cat >"$work/buildah-build" <<SH
#!/usr/bin/env bash
exec buildah --root "$work/buildah-\$1/root" --runroot "$work/buildah-\$1/run" --storage-driver "\$1" \\
  bud --isolation chroot --layers -q --build-arg BASE=oci:$work/busybox:latest -t bench:latest \\
  "$context" >"$work/buildah-last.log" 2>&1
SH
cat >"$work/buildah-reset" <<SH
#!/usr/bin/env bash
# rmi first so buildah unmounts what it mounted; the rm catches whatever is left.
buildah --root "$work/buildah-\$1/root" --runroot "$work/buildah-\$1/run" --storage-driver "\$1" \\
  rmi -a -f >/dev/null 2>&1 || true
rm -rf "$work/buildah-\$1"
SH
cat >"$work/change" <<SH
#!/usr/bin/env bash
# New content every time, so every run sees a change.
echo "changed \$(date +%s%N)" >"$context/src/c/000/f00002.txt"
SH
chmod +x "$work/slipway-build" "$work/slipway-served-build" "$work/slipway-reset" "$work/buildah-build" "$work/buildah-reset" "$work/change"

# Prints how long the command took; fails (printing nothing) when the command fails.
seconds() {
  local start end
  start=$(date +%s%N)
  "$@" || return 1
  end=$(date +%s%N)
  echo "scale=2; ($end - $start) / 1000000000" | bc
}

driver=${DRIVER:-}
if [ -z "$driver" ]; then
  best=
  for candidate in overlay vfs; do
    "$work/buildah-reset" "$candidate"
    if took=$(seconds "$work/buildah-build" "$candidate"); then
      echo "buildah cold build with $candidate: $took s" >&2
      if [ -z "$best" ] || [ "$(echo "$took < $best" | bc)" = 1 ]; then best=$took driver=$candidate; fi
    else
      echo "buildah cannot build with $candidate here: $(tail -3 "$work/buildah-last.log")" >&2
    fi
    "$work/buildah-reset" "$candidate"
  done
  [ -n "$driver" ] || { echo "bench/build: buildah builds with neither overlay nor vfs" >&2; exit 1; }
fi
echo "buildah storage driver: $driver" >&2
echo "load before the runs: $(uptime)" >&2

echo "## cold" >&2
hyperfine --style basic --runs "$runs" --export-json "$work/cold.json" \
  --prepare "$work/slipway-reset" --prepare "$work/buildah-reset $driver" \
  -n "slipway build" "$work/slipway-build" \
  -n "buildah bud ($driver)" "$work/buildah-build $driver"

echo "## no-change rebuild" >&2
hyperfine --style basic --warmup 1 --runs "$quick_runs" --export-json "$work/nochange.json" \
  -n "slipway build" "$work/slipway-build" \
  -n "buildah bud ($driver)" "$work/buildah-build $driver"
# Every step must come from the cache (CACHED), none computed (DONE).
if grep -q ' DONE ' "$work/slipway-last.log" || ! grep -q ' CACHED' "$work/slipway-last.log"; then
  echo "bench/build: a no-change rebuild computed steps:" >&2; cat "$work/slipway-last.log" >&2; exit 1
fi

echo "## one-file change rebuild" >&2
hyperfine --style basic --runs "$runs" --export-json "$work/onefile.json" \
  --prepare "$work/change" --prepare "$work/change" \
  -n "slipway build" "$work/slipway-build" \
  -n "buildah bud ($driver)" "$work/buildah-build $driver"
"$work/change"
"$work/slipway-build"
python3 "$here/check_steps.py" "$work/slipway-last.log" \
  --cached 'COPY big/' 'COPY src/a/' 'COPY src/b/' \
  --done 'COPY src/c/' 'COPY src/d/' 'COPY config/'

echo "## with the build server" >&2
"$root/slipway" builder serve --root "$work/slipway-root" >"$work/server.log" 2>&1 &
server=$!
stop_server() { kill -TERM "$server" 2>/dev/null && wait "$server" 2>/dev/null || true; }
trap stop_server EXIT
for _ in $(seq 300); do
  [ -S "$work/slipway-root/builder.sock" ] && break
  kill -0 "$server" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
  sleep 0.1
done
# A server that has served a while: its JIT has compiled the no-change path (about 20 builds in;
# the first few take two to three times as long, docs/benchmarks-build.md).
for _ in $(seq "$server_warmups"); do "$work/slipway-served-build"; done
echo "## no-change rebuild, build server" >&2
hyperfine --style basic --warmup 1 --runs "$quick_runs" --export-json "$work/served-nochange.json" \
  -n "slipway build (build server)" "$work/slipway-served-build" \
  -n "buildah bud ($driver)" "$work/buildah-build $driver"
if grep -q ' DONE ' "$work/slipway-last.log" || ! grep -q ' CACHED' "$work/slipway-last.log"; then
  echo "bench/build: a served no-change rebuild computed steps:" >&2; cat "$work/slipway-last.log" >&2; exit 1
fi
echo "## one-file change rebuild, build server" >&2
hyperfine --style basic --runs "$runs" --export-json "$work/served-onefile.json" \
  --prepare "$work/change" --prepare "$work/change" \
  -n "slipway build (build server)" "$work/slipway-served-build" \
  -n "buildah bud ($driver)" "$work/buildah-build $driver"
"$work/change"
"$work/slipway-served-build"
python3 "$here/check_steps.py" "$work/slipway-last.log" \
  --cached 'COPY big/' 'COPY src/a/' 'COPY src/b/' \
  --done 'COPY src/c/' 'COPY src/d/' 'COPY config/'
stop_server
trap - EXIT

"$work/buildah-reset" "$driver"
echo "load after the runs: $(uptime)" >&2
python3 "$here/summarize.py" "$work" "$driver" | tee "$work/results.md"
