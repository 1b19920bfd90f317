FROM fedora:40
RUN dnf install -y \
# compilers
    gcc \
    gcc-c++ \

# tools
    make \
    cmake \
 && dnf clean all
ENV CFLAGS="-O2 -g" \
    LDFLAGS="-Wl,--as-needed"
