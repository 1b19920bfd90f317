# A user and group added (Debian's static busybox has no adduser, so as adduser does: by appending
# to passwd and group), then USER by name, by uid:gid, by name:group and by a uid with no passwd
# entry, with files they own, WORKDIR made under USER, and COPY --chown by name.
ARG BASE
FROM $BASE
RUN busybox --install -s /bin
RUN echo 'root:x:0:0:root:/root:/bin/sh' > /etc/passwd && echo 'root:x:0:' > /etc/group \
 && echo 'builders:x:2000:' >> /etc/group && echo 'extra:x:2100:builder' >> /etc/group \
 && echo 'builder:x:2001:2000:Builder:/home/builder:/bin/sh' >> /etc/passwd \
 && mkdir -p /home/builder /tmp && chmod 1777 /tmp && chown builder:builders /home/builder
USER builder
RUN touch /home/builder/mine && mkdir -p /home/builder/a/b && id > /home/builder/id \
 && echo "HOME=$HOME" > /home/builder/env
WORKDIR /home/builder/work
RUN pwd > /home/builder/pwd && touch here
USER 2001:0
RUN touch /tmp/numeric && id > /tmp/numeric-id
USER builder:extra
RUN touch /tmp/named-group && id > /tmp/named-group-id
USER 4242:4242
RUN touch /tmp/nobody && id > /tmp/nobody-id && echo "HOME=$HOME" > /tmp/nobody-env
USER root
COPY --chown=builder:extra Dockerfile /home/builder/copied
COPY --chown=builder Dockerfile /home/builder/copied-user-only
RUN chown -R builder /tmp/numeric && echo "HOME=$HOME" > /root-env
USER builder
