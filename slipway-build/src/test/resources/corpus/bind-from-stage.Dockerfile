# syntax=docker/dockerfile:1
FROM alpine AS tools
RUN apk add --no-cache jq yq

FROM debian:bookworm-slim
RUN --mount=type=bind,from=tools,source=/usr/bin,target=/tools \
    /tools/jq --version > /jq-version
RUN --mount=type=bind,target=/ctx,rw \
    ls -la /ctx > /context-listing
RUN --mount=type=cache,target=/cache,from=tools,source=/etc \
    ls /cache
