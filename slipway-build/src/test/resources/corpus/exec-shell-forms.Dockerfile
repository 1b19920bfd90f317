FROM busybox:1.36
SHELL ["/bin/sh", "-eu", "-c"]
RUN ["echo", "exec form"]
RUN echo shell form
RUN [ "$HOME" = "/root" ] && echo "test brackets stay shell form"
ENTRYPOINT ["/bin/sh", "-c"]
CMD echo "$HOSTNAME"
VOLUME ["/var/log", "/var/cache"]
