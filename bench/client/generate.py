#!/usr/bin/env python3
"""Writes an OCI image layout with LAYERS layers of SIZE bytes of random data each.

usage: generate.py DIR LAYERS SIZE

The layers are random (incompressible) bytes labelled as gzip layers: registries and copy tools
move them as opaque blobs, which is what the benchmark measures.
"""
import hashlib
import json
import os
import sys


def blob(root, data=None, path=None):
    h = hashlib.sha256()
    if data is not None:
        h.update(data)
        size = len(data)
    else:
        size = 0
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
                size += len(chunk)
    digest = h.hexdigest()
    target = os.path.join(root, "blobs", "sha256", digest)
    if data is not None:
        with open(target, "wb") as f:
            f.write(data)
    else:
        os.replace(path, target)
    return {"digest": "sha256:" + digest, "size": size}


def main():
    root, layers, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    os.makedirs(os.path.join(root, "blobs", "sha256"), exist_ok=True)
    descriptors = []
    for i in range(layers):
        tmp = os.path.join(root, "layer.tmp")
        with open(tmp, "wb") as f:
            left = size
            while left > 0:
                n = min(left, 1 << 20)
                f.write(os.urandom(n))
                left -= n
        d = blob(root, path=tmp)
        d["mediaType"] = "application/vnd.oci.image.layer.v1.tar+gzip"
        descriptors.append(d)
    config = json.dumps({"architecture": "amd64", "os": "linux",
                         "rootfs": {"type": "layers", "diff_ids": []}}).encode()
    c = blob(root, data=config)
    c["mediaType"] = "application/vnd.oci.image.config.v1+json"
    manifest = json.dumps({"schemaVersion": 2,
                           "mediaType": "application/vnd.oci.image.manifest.v1+json",
                           "config": c, "layers": descriptors}).encode()
    m = blob(root, data=manifest)
    m["mediaType"] = "application/vnd.oci.image.manifest.v1+json"
    m["annotations"] = {"org.opencontainers.image.ref.name": "bench"}
    with open(os.path.join(root, "oci-layout"), "w") as f:
        f.write('{"imageLayoutVersion":"1.0.0"}')
    with open(os.path.join(root, "index.json"), "w") as f:
        json.dump({"schemaVersion": 2, "manifests": [m]}, f)


if __name__ == "__main__":
    main()
