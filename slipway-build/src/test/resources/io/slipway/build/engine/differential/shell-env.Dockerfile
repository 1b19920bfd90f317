# WORKDIR with RUN, SHELL changes, ENV and ARG expansion, exec form, deep trees, and the config
# a final stage sets.
ARG BASE
FROM $BASE
RUN busybox --install -s /bin
ENV APP=/srv/app DEPTH=a/b/c/d/e/f/g SPACED="two  words"
WORKDIR $APP
RUN mkdir -p $DEPTH/h/i/j/k/l/m/n && echo "$SPACED" > $DEPTH/file && pwd > cwd
WORKDIR sub
RUN pwd > /srv/app/cwd2 && echo "$APP" > env-in-workdir
SHELL ["/bin/sh", "-e", "-c"]
RUN echo "shell=$0" > /srv/shell
SHELL ["/bin/busybox", "ash", "-c"]
RUN echo "${APP:-none}-${MISSING:-default}-${DEPTH%%/*}" > /srv/expansion
ARG VERSION=1.2.3
RUN echo "$VERSION" > /srv/version
RUN ["/bin/sh", "-c", "echo exec-form $APP > /srv/exec"]
ENV PATH=/opt/bin:$PATH
RUN mkdir -p /opt/bin && printf '#!/bin/sh\necho hi\n' > /opt/bin/hi && chmod +x /opt/bin/hi \
 && hi > /srv/hi && echo "HOME=$HOME PATH=$PATH" > /srv/env
LABEL org.example.name="diff test" org.example.version=$VERSION
EXPOSE 8080/tcp 53/udp
ENTRYPOINT ["/bin/sh", "-c"]
CMD ["echo hello"]
USER 65534:65534
