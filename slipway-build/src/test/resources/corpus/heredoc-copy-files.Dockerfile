# syntax=docker/dockerfile:1
FROM alpine:3.20
ARG GREETING=hello
COPY <<-EOF /app/config.ini
	[app]
	greeting = ${GREETING}
	EOF
COPY <<'EOF' /app/run.sh
#!/bin/sh
echo "$GREETING from $HOSTNAME"
EOF
COPY <<a.txt <<b.txt /app/data/
alpha
a.txt
beta
b.txt
RUN chmod +x /app/run.sh
ENTRYPOINT ["/app/run.sh"]
