# syntax=docker/dockerfile:1
FROM alpine:3.20 AS src
ADD --keep-git-dir=true https://github.com/moby/buildkit.git#v0.15.0 /buildkit
ADD git@github.com:acme/private.git#main:docs /docs

FROM golang:1.22
COPY --from=src /buildkit /go/src/github.com/moby/buildkit
WORKDIR /go/src/github.com/moby/buildkit
RUN go build ./cmd/buildctl
