# Files of the base and of earlier steps changed, replaced and deleted by later steps: the layers
# carry whiteouts and opaque directories.
ARG BASE
FROM $BASE
RUN busybox --install -s /bin
RUN mkdir -p /data/keep /data/gone/deeper /data/opaque /data/becomes-file \
 && echo one > /data/keep/file && echo two > /data/gone/deeper/file \
 && echo old > /data/opaque/old && echo f > /data/becomes-dir && echo x > /data/becomes-file/x
RUN rm /etc/os-release /bin/wc && rm -rf /data/gone && echo changed >> /data/keep/file
RUN rm -rf /data/opaque && mkdir /data/opaque && echo new > /data/opaque/new \
 && rm /data/becomes-dir && mkdir /data/becomes-dir && echo y > /data/becomes-dir/y \
 && rm -rf /data/becomes-file && echo z > /data/becomes-file
RUN echo recreated > /etc/os-release && touch /data/keep/empty && truncate -s 0 /data/keep/file
RUN mkdir -p /data/tree/sub && echo t > /data/tree/sub/t && touch "/data/sp ace" "/data/ünïcödé" \
 && mkdir -p "/data/$(printf 'long%.0s' $(seq 1 40))/$(printf 'name%.0s' $(seq 1 30))" \
 && echo deep > "/data/$(printf 'long%.0s' $(seq 1 40))/$(printf 'name%.0s' $(seq 1 30))/file"
RUN rm -rf /data/tree && ln -s keep /data/tree && rm "/data/sp ace" && mkfifo /data/fifo
