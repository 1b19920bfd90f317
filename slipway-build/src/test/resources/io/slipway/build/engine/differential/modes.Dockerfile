# Permission bits (set-id and sticky included) and owners set by RUN, on new and base files.
ARG BASE
FROM $BASE
RUN busybox --install -s /bin
RUN mkdir -p /m/dir && for m in 0600 0640 0755 0700 4755 2755 1777 0000 0444; do \
      echo $m > /m/f$m && chmod $m /m/f$m; done \
 && chmod 0711 /m/dir && mkdir -m 1777 /m/sticky && mkdir /m/setgid && chmod 2775 /m/setgid
RUN chown 1234:5678 /m/f0600 && chown -R 42:43 /m/dir && touch /m/dir/x && chown 7:8 /m/dir/x \
 && ln -s f0600 /m/link && chown -h 99:98 /m/link
RUN chmod 0600 /etc/os-release && chown 5:6 /etc && chmod 0750 /bin
