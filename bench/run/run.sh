#!/usr/bin/env bash
# Per-RUN overhead of `slipway build`: a chain of 20 `RUN true` steps over a local busybox image,
# side by side in one hyperfine run with
#   - raw `runc run` of the same busybox root file system 20 times (the limit: container start
#     and stop, nothing else),
#   - the same `slipway build` without the RUN steps (start-up, base image, export: the fixed
#     cost, subtracted to get the per-step cost),
#   - `buildah bud --isolation chroot` of the same Dockerfile, as users run it (one commit at the
#     end) and with --layers (a layer per step, as Slipway writes).
# Every build is --no-cache, so each run executes every step. Then the two slipway builds run again
# relayed to a build server on their root (`slipway builder serve`), beside raw runc once more.
# Usage: bench/run/run.sh [runs, default 5]
#   (needs root; writes bench/run/results.md and bench/run/results-served.md)
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
for tool in runc buildah hyperfine python3; do
  command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] ||
    { echo "needs $tool (Debian: runc buildah hyperfine python3)" >&2; exit 1; }
done
[ -x /bin/busybox ] || { echo "needs /bin/busybox (Debian: busybox-static)" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "needs root (RUN steps run in runc)" >&2; exit 1; }
runs=${1:-5}
steps=20
work=$(mktemp -d /var/tmp/slipway-bench-run.XXXXXX)
buildah_opts=(--root "$work/buildah/root" --runroot "$work/buildah/run" --storage-driver overlay)
server=""
cleanup() {
  if [ -n "$server" ]; then kill -TERM "$server" 2>/dev/null; wait "$server" 2>/dev/null || true; fi
  buildah "${buildah_opts[@]}" rm --all >/dev/null 2>&1 || true
  buildah "${buildah_opts[@]}" rmi --all --force >/dev/null 2>&1 || true
  umount -R "$work/buildah/root/overlay" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# One busybox root file system, used by all three.
rootfs="$work/rootfs"
mkdir -p "$rootfs/bin" "$rootfs/etc" "$rootfs/tmp" "$rootfs/proc" "$rootfs/sys" "$rootfs/dev"
cp /bin/busybox "$rootfs/bin/busybox"
for applet in sh true ls cat echo; do ln -s busybox "$rootfs/bin/$applet"; done
echo 'root:x:0:0:root:/root:/bin/sh' > "$rootfs/etc/passwd"
echo 'root:x:0:' > "$rootfs/etc/group"
chmod 1777 "$rootfs/tmp"

# The image: committed by buildah into its own storage (its FROM) and pushed as an OCI layout
# (Slipway's FROM, through --build-context).
ctr=$(buildah "${buildah_opts[@]}" from scratch)
buildah "${buildah_opts[@]}" copy "$ctr" "$rootfs" / >/dev/null
buildah "${buildah_opts[@]}" config --cmd /bin/sh "$ctr"
buildah "${buildah_opts[@]}" commit -q "$ctr" localhost/bench-busybox >/dev/null
buildah "${buildah_opts[@]}" rm "$ctr" >/dev/null
layout="$work/layout"
buildah "${buildah_opts[@]}" push -q localhost/bench-busybox "oci:$layout:latest"

mkdir -p "$work/context"
{ echo 'FROM localhost/bench-busybox'; for _ in $(seq "$steps"); do echo 'RUN true'; done; } \
  > "$work/Dockerfile.run"
echo 'FROM localhost/bench-busybox' > "$work/Dockerfile.none"

# runc: the same root file system, read-only, `true` as the process, no terminal.
bundle="$work/bundle"
mkdir -p "$bundle"
(cd "$bundle" && runc spec)
python3 - "$bundle/config.json" "$rootfs" <<'PY'
import json, sys
path, rootfs = sys.argv[1], sys.argv[2]
spec = json.load(open(path))
spec["process"]["terminal"] = False
spec["process"]["args"] = ["/bin/true"]
spec["root"] = {"path": rootfs, "readonly": True}
json.dump(spec, open(path, "w"), indent=2)
PY
cat > "$work/runc-chain.sh" <<SH
#!/bin/sh
set -e
for i in \$(seq $steps); do runc --root "$work/runc-state" run --bundle "$bundle" "bench-\$\$-\$i"; done
SH
chmod +x "$work/runc-chain.sh"

./slipway --version > /dev/null   # build the jar and its class archive first
./slipway build --help > /dev/null   # and the build command's own archive
# $2: local (a JVM of its own per build) or server (relayed to `slipway builder serve`).
slipway_build() {
  echo "./slipway build --builder ${2:-local} --root $work/slipway --no-cache --progress=plain" \
    "--build-context localhost/bench-busybox=oci-layout://$layout -f $work/Dockerfile.$1 $work/context"
}
# Under hyperfine a build's output goes to a log kept for a failure: hyperfine shows none of it.
cat > "$work/logged" <<SH
#!/bin/sh
"\$@" > "$work/last.log" 2>&1 || { cp "$work/last.log" /tmp/slipway-bench-run-failure.log; exit 1; }
SH
chmod +x "$work/logged"
failed() {
  echo "bench/run: a build failed; its output is in /tmp/slipway-bench-run-failure.log:" >&2
  tail -20 /tmp/slipway-bench-run-failure.log >&2 || true
  exit 1
}
# Unpack the base once, as any builder that has pulled it has.
$(slipway_build none) > "$work/slipway-warm.log" 2>&1
$(slipway_build run) > "$work/slipway-check.log" 2>&1 ||
  { cat "$work/slipway-check.log" >&2; exit 1; }
buildah_bud() {
  echo "buildah ${buildah_opts[*]} bud --isolation chroot --no-cache -q $1 -f $work/Dockerfile.run $work/context"
}

echo "bench: load before: $(uptime)" >&2
hyperfine --warmup 1 --runs "$runs" --export-markdown bench/run/results.md \
  --export-json "$work/results.json" \
  -n "runc run x$steps (limit)" "$work/runc-chain.sh" \
  -n "slipway build, no RUN" "$work/logged $(slipway_build none)" \
  -n "slipway build, $steps x RUN true" "$work/logged $(slipway_build run)" \
  -n "buildah bud, $steps x RUN true" "$(buildah_bud '')" \
  -n "buildah bud --layers, $steps x RUN true" "$(buildah_bud --layers)" || failed
echo "bench: load after: $(uptime)" >&2

# The same two builds relayed to a build server on the root, after five warm-up builds each (a
# server that has been running a while has had them), side by side with raw runc again.
./slipway builder serve --root "$work/slipway" > "$work/server.log" 2>&1 &
server=$!
for _ in $(seq 300); do
  [ -S "$work/slipway/builder.sock" ] && break
  kill -0 "$server" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
  sleep 0.1
done
hyperfine --warmup 5 --runs "$runs" --export-markdown bench/run/results-served.md \
  --export-json "$work/results-served.json" \
  -n "runc run x$steps (limit)" "$work/runc-chain.sh" \
  -n "slipway build (build server), no RUN" "$work/logged $(slipway_build none server)" \
  -n "slipway build (build server), $steps x RUN true" "$work/logged $(slipway_build run server)" \
  || failed
kill -TERM "$server"; wait "$server" || true
server=""
echo "bench: load after the served runs: $(uptime)" >&2
# One more build with its spans: the time from one RUN step's start to the next one's is the
# per-step cost from inside the build (runc, rootfs, layer, cache record), free of the start-up
# noise that the subtraction above carries on a loaded machine.
$(slipway_build run local) --trace-file "$work/trace.json" > /dev/null 2>&1
python3 - "$work/results.json" "$steps" "$work/trace.json" "$work/results-served.json" <<'PY' | tee -a bench/run/results.md
import json, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
served = {r["command"]: r["mean"] for r in json.load(open(sys.argv[4]))["results"]}
steps = int(sys.argv[2])
def mean(prefix):
    return next(r["mean"] for name, r in results.items() if name.startswith(prefix))
runc = mean("runc run")
none = mean("slipway build, no RUN")
chain = mean("slipway build, %d" % steps)
bud = mean("buildah bud, ")
layers = mean("buildah bud --layers")
per_step = (chain - none) / steps
print()
print("| figure | value |")
print("|---|---:|")
print("| raw runc run, per step | %.1f ms |" % (runc / steps * 1000))
print("| Slipway per RUN step ((20-step build - no-RUN build) / 20) | %.1f ms |" % (per_step * 1000))
print("| per-step overhead against raw runc (target <= 1.5x) | %.2fx |" % (per_step / (runc / steps)))
print("| Slipway total / buildah bud total (target <= 0.5x) | %.2fx |" % (chain / bud))
print("| Slipway total / buildah bud --layers total | %.2fx |" % (chain / layers))
served_runc = next(v for k, v in served.items() if k.startswith("runc run"))
served_none = next(v for k, v in served.items() if k.endswith("no RUN"))
served_chain = next(v for k, v in served.items() if k.endswith("RUN true"))
served_step = (served_chain - served_none) / steps
print("| build server: raw runc run, per step (same hyperfine run) | %.1f ms |"
      % (served_runc / steps * 1000))
print("| build server: Slipway per RUN step | %.1f ms |" % (served_step * 1000))
print("| build server: per-step overhead against raw runc (target <= 1.5x) | %.2fx |"
      % (served_step / (served_runc / steps)))
print("| build server: Slipway total / buildah bud total (target <= 0.5x) | %.2fx |"
      % (served_chain / bud))
spans = []
for resource in json.load(open(sys.argv[3])).get("resourceSpans", []):
    for scope in resource.get("scopeSpans", []):
        for span in scope.get("spans", []):
            text = json.dumps(span.get("attributes", []))
            if span.get("name") == "vertex" and "RUN true" in text:
                spans.append((int(span["startTimeUnixNano"]), int(span["endTimeUnixNano"])))
spans.sort()
if len(spans) >= 2:
    starts = [s for s, _ in spans]
    gap = (starts[-1] - starts[0]) / (len(starts) - 1) / 1e6
    inside = sum(e - s for s, e in spans[1:]) / (len(spans) - 1) / 1e6
    print("| one traced build: RUN start to next RUN start, mean of %d | %.1f ms |"
          % (len(spans) - 1, gap))
    print("| one traced build: RUN vertex span, mean without the first | %.1f ms |" % inside)
    print("| traced step-to-step against raw runc per step | %.2fx |" % (gap / (runc / steps * 1000)))
PY
