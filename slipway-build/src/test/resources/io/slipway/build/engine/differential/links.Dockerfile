# Symbolic links (relative, absolute, dangling, chained, to directories) and hard links made in one
# step, then changed by a later step.
ARG BASE
FROM $BASE
RUN busybox --install -s /bin
RUN mkdir -p /l/dir && echo target > /l/dir/target && ln -s dir/target /l/rel \
 && ln -s /l/dir/target /l/abs && ln -s missing /l/dangling && ln -s dir /l/dirlink \
 && ln /l/dir/target /l/hard1 && ln /l/dir/target /l/dir/hard2 && ln /l/dir/target /l/hard3
RUN ln -s /l/abs /l/chain && rm /l/rel && ln -s dir/../dir/target /l/rel && rm /l/dir/hard2 \
 && ln -sfn /l/dir /l/dirlink && rm /l/hard3 && echo other > /l/hard3
