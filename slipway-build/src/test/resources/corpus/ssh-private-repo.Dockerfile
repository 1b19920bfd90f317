# syntax=docker/dockerfile:1
FROM golang:1.22-alpine AS build
RUN apk add --no-cache git openssh-client
RUN mkdir -p -m 0700 ~/.ssh && ssh-keyscan github.com >> ~/.ssh/known_hosts
ENV GOPRIVATE=github.com/acme/*
RUN git config --global url."git@github.com:".insteadOf "https://github.com/"
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=ssh go mod download
RUN --mount=type=ssh,id=deploy,required=true git clone git@github.com:acme/tools.git /tools
COPY . .
RUN go build -o /out/app .

FROM scratch
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]
