# A user and group added (Debian's static busybox has no adduser, so as adduser does: by appending
# to passwd and group), then USER by name, by uid:gid and name:group, with files they own.
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
USER 2001:0
RUN touch /tmp/numeric && id > /tmp/numeric-id
USER builder:extra
RUN touch /tmp/named-group && id > /tmp/named-group-id
USER root
RUN chown -R builder /tmp/numeric && echo "HOME=$HOME" > /root-env
USER builder
