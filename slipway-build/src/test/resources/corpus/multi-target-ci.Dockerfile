# syntax=docker/dockerfile:1
ARG GO_VERSION=1.22
ARG GOLANGCI_LINT_VERSION=v1.59.1

# base holds the module cache shared by the other stages
FROM golang:${GO_VERSION}-alpine AS base
WORKDIR /src
COPY go.* .
RUN --mount=type=cache,target=/go/pkg/mod go mod download

# lint runs golangci-lint over the sources
FROM golangci/golangci-lint:${GOLANGCI_LINT_VERSION}-alpine AS lint
WORKDIR /src
RUN --mount=target=. \
    --mount=from=base,target=/root/.cache,source=/root/.cache \
    --mount=type=cache,target=/root/.cache/golangci-lint \
    golangci-lint run

# test runs the unit tests with coverage
FROM base AS test
RUN --mount=target=. \
    --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    go test -coverprofile=/cover.out ./...

FROM scratch AS coverage
COPY --from=test /cover.out /

# release is the shipped binary
FROM base AS release
RUN --mount=target=. \
    --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    go build -o /out/app .
