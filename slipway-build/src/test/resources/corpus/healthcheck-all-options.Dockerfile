FROM nginx:1.27
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --start-interval=2s --retries=3 \
  CMD curl -fsS http://localhost/ || exit 1
EXPOSE 80/tcp 443/tcp
STOPSIGNAL SIGQUIT
