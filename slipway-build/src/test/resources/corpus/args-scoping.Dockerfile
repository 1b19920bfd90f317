ARG BASE_IMAGE=alpine
ARG BASE_TAG=3.20
ARG VERSION=1.0.0
FROM ${BASE_IMAGE}:${BASE_TAG} AS build
ARG VERSION
ARG COMMIT=unknown
ENV APP_VERSION=${VERSION}
LABEL org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${COMMIT}" \
      org.opencontainers.image.title="${APP_NAME:-app}"
RUN echo "$APP_VERSION-${COMMIT:0:7}" > /version || echo "$APP_VERSION" > /version

FROM build
ARG VERSION=override
RUN echo "${VERSION%%.*}" > /major
