# syntax=docker/dockerfile:1
FROM debian:bookworm-slim
RUN <<EOT bash
  set -ex
  apt-get update
  apt-get install -y --no-install-recommends vim curl
  rm -rf /var/lib/apt/lists/*
EOT
RUN <<EOF
echo "building on $(uname -m)" > /build-info
date >> /build-info
EOF
CMD ["cat", "/build-info"]
