# syntax=docker/dockerfile:1
FROM alpine:3.20
ARG TINI_VERSION=v0.19.0
ADD --checksum=sha256:93dcc18adc78c65a028a84799ecf8ad40c936fdfc5f2a57b1acda5a8117fa82c --chmod=755 https://github.com/krallin/tini/releases/download/${TINI_VERSION}/tini-static /tini
ADD https://dl-cdn.alpinelinux.org/alpine/v3.20/releases/x86_64/alpine-minirootfs-3.20.0-x86_64.tar.gz /tmp/
ADD --unpack=true https://example.com/assets.tar.gz /srv/assets/
ADD vendor.tar.gz /opt/vendor/
ENTRYPOINT ["/tini", "--"]
