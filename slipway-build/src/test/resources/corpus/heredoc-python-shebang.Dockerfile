# syntax=docker/dockerfile:1
FROM python:3.12-alpine
RUN <<EOF
#!/usr/bin/env python3
import platform
with open("/etc/built-with", "w") as f:
    f.write(platform.python_version())
EOF
RUN python3 <<PY
print("hello from a heredoc fed to stdin")
PY
RUN cat <<A > /a.txt && cat <<B > /b.txt
first
A
second
B
