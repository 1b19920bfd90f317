FROM alpine:3.20
RUN --mount=type=cache,target=/etc/apk/cache,sharing=locked \
    apk add --update-cache git openssh-client bash
RUN adduser -D -u 1000 builder
USER builder
WORKDIR /home/builder
CMD ["bash"]
