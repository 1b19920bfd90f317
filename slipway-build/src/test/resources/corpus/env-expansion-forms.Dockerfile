FROM busybox
ENV PREFIX=/opt/tool ARCHIVE=tool-1.2.3-linux-amd64.tar.gz
ENV NAME=${ARCHIVE%%-linux*} \
    EXT=${ARCHIVE#*.} \
    BASE=${ARCHIVE%.tar.gz} \
    PATHS=${PREFIX//\//:} \
    FIRST=${PREFIX/opt/usr} \
    OPT=${MISSING:-default} \
    ALT=${PREFIX:+set}
WORKDIR ${PREFIX}/bin
LABEL name="$NAME" ext="$EXT" base="$BASE" paths="$PATHS" first="$FIRST" opt="$OPT" alt="$ALT"
