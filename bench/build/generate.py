#!/usr/bin/env python3
"""Inputs for bench/build/run.sh, the same bytes for the same seed on every machine.

  generate.py context DIR SEED SMALL_FILES LARGE_BYTES
      A build context: SMALL_FILES small text-like files (100 B - 8 KiB) spread over
      src/{a,b,c,d}/NNN/, config files, and LARGE_BYTES of large files under big/ (50 MiB each,
      the last one shorter), whose blocks mix random bytes with repeated phrases so that gzip
      shrinks them to roughly half, as it does real binaries and assets. Writes the Dockerfile.
  generate.py busybox DIR
      A linux/amd64 OCI image layout (tag "latest") with Debian's /bin/busybox and its applet
      links in one gzip layer: the local base image both builders start from.
"""
import gzip
import hashlib
import io
import json
import os
import random
import subprocess
import sys
import tarfile

MIB = 1 << 20
LARGE_FILE = 50 * MIB
GROUPS = ("a", "b", "c", "d")

DOCKERFILE = """\
ARG BASE
FROM $BASE
COPY big/ /data/big/
COPY src/a/ /app/a/
COPY src/b/ /app/b/
COPY src/c/ /app/c/
COPY src/d/ /app/d/
COPY config/ /etc/app/
"""

WORDS = (
    b"layer manifest digest config index blob tag registry build cache step copy run "
    b"error warning info debug value key path file directory owner mode size time "
    b"0123456789 abcdef { } [ ] : , \" = ; ( ) return if else for while function class "
).split()


def phrase_block(rng, size):
    """size bytes of word soup: compressible the way source and text are."""
    out = bytearray()
    while len(out) < size:
        out += rng.choice(WORDS)
        out += b"\n" if rng.random() < 0.1 else b" "
    return bytes(out[:size])


def large_block(rng, dictionary):
    """One MiB: a quarter random bytes, the rest slices of a shared dictionary (LZ-compressible)."""
    parts = [rng.randbytes(MIB // 4)]
    remaining = MIB - MIB // 4
    while remaining > 0:
        n = min(remaining, rng.randrange(64, 4096))
        start = rng.randrange(0, len(dictionary) - n)
        parts.append(dictionary[start:start + n])
        remaining -= n
    return b"".join(parts)


def context(root, seed, small_files, large_bytes):
    rng = random.Random(seed)
    os.makedirs(root, exist_ok=False)
    with open(os.path.join(root, "Dockerfile"), "w") as f:
        f.write(DOCKERFILE)
    per_dir = 100
    # Slices of one pool: word soup per file would take minutes in Python.
    pool = phrase_block(rng, 4 * MIB)
    for i in range(small_files):
        group = GROUPS[i % len(GROUPS)]
        directory = os.path.join(root, "src", group, "%03d" % (i // (per_dir * len(GROUPS))))
        os.makedirs(directory, exist_ok=True)
        with open(os.path.join(directory, "f%05d.txt" % i), "wb") as f:
            size = rng.randrange(100, 8192)
            start = rng.randrange(0, len(pool) - size)
            f.write(pool[start:start + size])
    os.makedirs(os.path.join(root, "config"))
    for i in range(10):
        with open(os.path.join(root, "config", "app%d.conf" % i), "wb") as f:
            f.write(phrase_block(rng, 512))
    os.makedirs(os.path.join(root, "big"))
    dictionary = phrase_block(rng, 256 * 1024) + rng.randbytes(64 * 1024)
    written, index = 0, 0
    while written < large_bytes:
        size = min(LARGE_FILE, large_bytes - written)
        with open(os.path.join(root, "big", "blob%02d.bin" % index), "wb") as f:
            left = size
            while left > 0:
                block = large_block(rng, dictionary)[:left]
                f.write(block)
                left -= len(block)
        written += size
        index += 1


def blob(layout, data):
    digest = hashlib.sha256(data).hexdigest()
    path = os.path.join(layout, "blobs", "sha256", digest)
    with open(path, "wb") as f:
        f.write(data)
    return "sha256:" + digest


def busybox(layout):
    os.makedirs(os.path.join(layout, "blobs", "sha256"))
    applets = subprocess.run(["/bin/busybox", "--list"], check=True, capture_output=True,
                             text=True).stdout.split()
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        def add(name, kind, mode, data=b"", target=""):
            info = tarfile.TarInfo(name)
            info.type, info.mode, info.mtime, info.size, info.linkname = kind, mode, 0, len(data), target
            tar.addfile(info, io.BytesIO(data) if data else None)
        add("bin", tarfile.DIRTYPE, 0o755)
        with open("/bin/busybox", "rb") as f:
            add("bin/busybox", tarfile.REGTYPE, 0o755, f.read())
        for applet in sorted(set(applets) - {"busybox"}):
            add("bin/" + applet, tarfile.SYMTYPE, 0o777, target="busybox")
    diff_id = "sha256:" + hashlib.sha256(raw.getvalue()).hexdigest()
    layer = gzip.compress(raw.getvalue(), mtime=0)
    config = json.dumps({
        "architecture": "amd64", "os": "linux",
        "config": {"Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
                   "Cmd": ["sh"]},
        "rootfs": {"type": "layers", "diff_ids": [diff_id]},
        # buildah --layers checks that history accounts for every layer below the ones it adds.
        "history": [{"created": "1970-01-01T00:00:00Z", "created_by": "generate.py busybox"}],
    }, sort_keys=True).encode()
    manifest = json.dumps({
        "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                   "digest": blob(layout, config), "size": len(config)},
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                    "digest": blob(layout, layer), "size": len(layer)}],
    }, sort_keys=True).encode()
    index = {"schemaVersion": 2, "manifests": [{
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "digest": blob(layout, manifest), "size": len(manifest),
        "annotations": {"org.opencontainers.image.ref.name": "latest"},
    }]}
    with open(os.path.join(layout, "index.json"), "w") as f:
        json.dump(index, f)
    with open(os.path.join(layout, "oci-layout"), "w") as f:
        json.dump({"imageLayoutVersion": "1.0.0"}, f)


def main(argv):
    if len(argv) == 6 and argv[1] == "context":
        context(argv[2], int(argv[3]), int(argv[4]), int(argv[5]))
    elif len(argv) == 3 and argv[1] == "busybox":
        busybox(argv[2])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
