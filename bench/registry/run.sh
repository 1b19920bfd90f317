#!/usr/bin/env bash
# Slipway's registry side by side with Debian's docker-registry (distribution 2.8) and nginx
# serving the same files (the static-file limit), on loopback, in one run:
#   1. 1 GiB blob GET (curl to /dev/null, hyperfine)
#   2. manifest GET by tag, wrk with 32 connections
#   3. 1 GiB monolithic push (POST, then one PUT ?digest= with the whole blob; hyperfine)
# Usage: bench/registry/run.sh [seconds per wrk run, default 15]
#   PUSH_ONLY=1 runs only the push comparison (3); PUSH_RUNS=n timed pushes each (default 3)
# Writes bench/registry/results.md; copy the figures into docs/benchmarks-registry.md.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
for tool in docker-registry nginx wrk hyperfine curl sha256sum; do
  command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] ||
    { echo "needs $tool (Debian: docker-registry nginx wrk hyperfine curl)" >&2; exit 1; }
done
duration=${1:-15}
work=$(mktemp -d /tmp/slipway-bench-registry.XXXXXX)
chmod 755 "$work"   # nginx workers run as another user
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

slipway_port=5101 distribution_port=5102 nginx_port=5103
echo "bench: preparing 1 GiB of random data in $work" >&2
head -c 1073741824 /dev/urandom > "$work/blob"
blob_digest="sha256:$(sha256sum "$work/blob" | cut -d' ' -f1)"
printf '{}' > "$work/config"
config_digest="sha256:$(sha256sum "$work/config" | cut -d' ' -f1)"
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":2},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"%s","size":1073741824}]}' \
  "$config_digest" "$blob_digest" > "$work/manifest"
manifest_type=application/vnd.oci.image.manifest.v1+json

# Slipway
./slipway --version > /dev/null
# Access logs off on every server, so each one does the same work per request.
printf 'log:\n  accesslog:\n    disabled: true\n' > "$work/slipway.yaml"
./slipway registry serve --config "$work/slipway.yaml" --addr "127.0.0.1:$slipway_port" \
  --root "$work/slipway" > "$work/slipway.log" 2>&1 &
pids+=($!)

# distribution, configured like Debian's default but without auth and with quiet logs
cat > "$work/distribution.yml" <<YAML
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  cache:
    blobdescriptor: inmemory
  filesystem:
    rootdirectory: $work/distribution
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$distribution_port
YAML
docker-registry serve "$work/distribution.yml" > "$work/distribution.log" 2>&1 &
pids+=($!)

# nginx serving the blob and the manifest as static files, sendfile on
mkdir -p "$work/www/v2/bench/blobs" "$work/www/v2/bench/manifests" "$work/nginx"
ln "$work/blob" "$work/www/v2/bench/blobs/$blob_digest"
cp "$work/manifest" "$work/www/v2/bench/manifests/v1"
cat > "$work/nginx.conf" <<NGINX
worker_processes auto;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log error;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  default_type application/octet-stream;
  server {
    listen 127.0.0.1:$nginx_port;
    root $work/www;
    location /v2/bench/manifests/ { default_type $manifest_type; }
  }
}
NGINX
nginx -c "$work/nginx.conf" -g 'daemon off;' &
pids+=($!)

for port in $slipway_port $distribution_port $nginx_port; do
  for _ in $(seq 1 60); do
    curl -sf -o /dev/null "http://127.0.0.1:$port/v2/" && break
    curl -s -o /dev/null "http://127.0.0.1:$port/v2/bench/manifests/v1" && [ "$port" = "$nginx_port" ] && break
    sleep 1
  done
done

cat > "$work/push.sh" <<'PUSH'
#!/usr/bin/env bash
# Monolithic push: POST for a session, then one PUT ?digest= carrying the whole blob.
set -euo pipefail
base=$1 file=$2 digest=$3
location=$(curl -sf -X POST -D - -o /dev/null "$base/v2/bench/blobs/uploads/" |
  tr -d '\r' | awk 'tolower($1)=="location:" {print $2}')
case "$location" in http*) ;; *) location="$base$location" ;; esac
sep='?'; case "$location" in *\?*) sep='&' ;; esac
code=$(curl -s -o /dev/null -w '%{http_code}' -X PUT -H 'Content-Type: application/octet-stream' \
  -T "$file" "$location${sep}digest=$digest")
[ "$code" = 201 ] || { echo "push to $base answered $code" >&2; exit 1; }
PUSH
chmod +x "$work/push.sh"

# Seed both registries: blob, config, manifest tagged v1.
for port in $slipway_port $distribution_port; do
  base="http://127.0.0.1:$port"
  "$work/push.sh" "$base" "$work/blob" "$blob_digest"
  "$work/push.sh" "$base" "$work/config" "$config_digest"
  code=$(curl -s -o /dev/null -w '%{http_code}' -X PUT -H "Content-Type: $manifest_type" \
    --data-binary "@$work/manifest" "$base/v2/bench/manifests/v1")
  [ "$code" = 201 ] || { echo "manifest push to $base answered $code" >&2; exit 1; }
done

results=bench/registry/results.md
{
  echo "# Registry benchmark results"
  echo
  echo "Load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM; $(date -u +%Y-%m-%dT%H:%MZ)."
  echo "Peers: $(docker-registry --version 2>/dev/null | head -1), $(nginx -v 2>&1)."
  echo
} > "$results"

if [ "${PUSH_ONLY:-0}" != 1 ]; then
echo "bench: 1 GiB blob GET" >&2
hyperfine --warmup 1 --runs 5 --export-markdown "$work/get.md" \
  -n nginx "curl -sf -o /dev/null http://127.0.0.1:$nginx_port/v2/bench/blobs/$blob_digest" \
  -n slipway "curl -sf -o /dev/null http://127.0.0.1:$slipway_port/v2/bench/blobs/$blob_digest" \
  -n docker-registry "curl -sf -o /dev/null http://127.0.0.1:$distribution_port/v2/bench/blobs/$blob_digest" >&2
{ echo "## 1 GiB blob GET (curl to /dev/null)"; echo; cat "$work/get.md"; echo; } >> "$results"

echo "bench: manifest GET by tag, wrk -c32" >&2
wrk_rate() {
  wrk -t2 -c32 -d"${duration}s" -H "Accept: $manifest_type" "$1" | awk '/Requests\/sec/ {print $2}'
}
wrk -t2 -c32 -d5s -H "Accept: $manifest_type" "http://127.0.0.1:$slipway_port/v2/bench/manifests/v1" > /dev/null
nginx_rate=$(wrk_rate "http://127.0.0.1:$nginx_port/v2/bench/manifests/v1")
slipway_rate=$(wrk_rate "http://127.0.0.1:$slipway_port/v2/bench/manifests/v1")
distribution_rate=$(wrk_rate "http://127.0.0.1:$distribution_port/v2/bench/manifests/v1")
{
  echo "## Manifest GET by tag (wrk -t2 -c32 -d${duration}s)"
  echo
  echo "| server | requests/s | vs docker-registry |"
  echo "|---|---:|---:|"
  for row in "nginx $nginx_rate" "slipway $slipway_rate" "docker-registry $distribution_rate"; do
    set -- $row
    echo "| $1 | $2 | $(awk -v a="$2" -v b="$distribution_rate" 'BEGIN {printf "%.2f×", a/b}') |"
  done
  echo
} >> "$results"

fi

echo "bench: 1 GiB monolithic push" >&2
hyperfine --runs "${PUSH_RUNS:-3}" --export-markdown "$work/push.md" \
  -n slipway "$work/push.sh http://127.0.0.1:$slipway_port $work/blob $blob_digest" \
  -n docker-registry "$work/push.sh http://127.0.0.1:$distribution_port $work/blob $blob_digest" >&2
{ echo "## 1 GiB monolithic push (POST + one PUT)"; echo; cat "$work/push.md"; echo; } >> "$results"

cat "$results"
