# syntax=docker/dockerfile:1
FROM ubuntu:24.04
RUN --mount=type=tmpfs,target=/tmp,size=512m dd if=/dev/zero of=/tmp/scratch bs=1M count=100
RUN --network=none make test
RUN --network=host curl -fsS http://localhost:8080/health
RUN --security=insecure mount -t tmpfs none /mnt
