#!/usr/bin/env bash
# Copies an image between two local docker-registry instances with `slipway copy` and with
# `skopeo copy`, side by side under hyperfine: a single-layer image (1 GiB by default) and a
# 200-layer image (256 KiB layers). Before every run the destination registry's storage and
# slipway's local blob cache are wiped, so each run transfers every byte.
# Needs docker-registry, skopeo, hyperfine, python3.
#
# usage: bench/client/run.sh [WORKDIR]
#   BIG_SIZE=bytes (default 1073741824), MANY_LAYERS=n (200), MANY_SIZE=bytes (262144), RUNS=n (3)
#   SLIPWAY=command (default: this checkout's ./slipway), e.g. a launcher for another build;
#   BASELINE=command adds a third contender, such as an older build, to the same runs
#   IMAGES="big many" (default both)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=${1:-/tmp/slipway-bench-client}
runs=${RUNS:-3}
big=${BIG_SIZE:-1073741824}
many=${MANY_LAYERS:-200}
many_size=${MANY_SIZE:-262144}
images=${IMAGES:-big many}
slipway=${SLIPWAY:-$root/slipway}
baseline=${BASELINE:-}
mkdir -p "$work"

$slipway --version >/dev/null
if [ -n "$baseline" ]; then $baseline --version >/dev/null; fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
start_registry() { # name port
  local dir="$work/$1"
  rm -rf "$dir" && mkdir -p "$dir/data"
  cat >"$dir/config.yml" <<YAML
version: 0.1
log:
  level: error
storage:
  filesystem:
    rootdirectory: $dir/data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$2
YAML
  docker-registry serve "$dir/config.yml" >"$dir/log" 2>&1 &
  echo $! >"$dir/pid"
  for _ in $(seq 100); do curl -fs "http://127.0.0.1:$2/v2/" >/dev/null 2>&1 && return; sleep 0.1; done
  echo "registry $1 did not start: $(cat "$dir/log")" >&2; exit 1
}
stop_registry() { kill "$(cat "$work/$1/pid")" 2>/dev/null || true; wait "$(cat "$work/$1/pid")" 2>/dev/null || true; }

src_port=$(free_port); dst_port=$(free_port)
start_registry src "$src_port"
start_registry dst "$dst_port"
trap 'stop_registry src; stop_registry dst' EXIT
src=127.0.0.1:$src_port dst=127.0.0.1:$dst_port

for image in $images; do
  layout="$work/layout-$image"
  if [ ! -f "$layout/index.json" ]; then
    if [ "$image" = big ]; then python3 "$here/generate.py" "$layout" 1 "$big";
    else python3 "$here/generate.py" "$layout" "$many" "$many_size"; fi
  fi
  skopeo copy -q --dest-tls-verify=false "oci:$layout:bench" "docker://$src/$image:1"
done

cat >"$work/reset" <<SH
#!/usr/bin/env bash
# Empties the destination registry and slipway's cache between runs.
kill \$(cat "$work/dst/pid"); wait \$(cat "$work/dst/pid") 2>/dev/null || true
rm -rf "$work/dst/data" "$work/slipway-root"
docker-registry serve "$work/dst/config.yml" >"$work/dst/log" 2>&1 &
echo \$! >"$work/dst/pid"
for _ in \$(seq 100); do curl -fs "http://$dst/v2/" >/dev/null 2>&1 && exit 0; sleep 0.1; done
exit 1
SH
chmod +x "$work/reset"

echo "load average before the runs: $(cut -d' ' -f1-3 /proc/loadavg)"
for image in $images; do
  echo "## $image: $(du -sh "$work/layout-$image" | cut -f1)"
  # slipway's messages go to a log, so a failed run can be read after hyperfine stops.
  contenders=(-n "slipway copy" "$slipway copy --root $work/slipway-root $src/$image:1 $dst/$image:1 >/dev/null 2>>$work/slipway.log")
  if [ -n "$baseline" ]; then
    contenders+=(-n "baseline copy" "$baseline copy --root $work/slipway-root $src/$image:1 $dst/$image:1 >/dev/null 2>>$work/baseline.log")
  fi
  hyperfine --style basic --runs "$runs" --prepare "$work/reset" \
    --export-markdown "$work/$image.md" "${contenders[@]}" \
    -n "skopeo copy" "skopeo copy -q --src-tls-verify=false --dest-tls-verify=false docker://$src/$image:1 docker://$dst/$image:1"
  cat "$work/$image.md"
done
