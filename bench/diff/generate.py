#!/usr/bin/env python3
"""Writes diff benchmark inputs: a CRD-like JSON list and a copy with a share of lines changed,
or two unrelated texts. Deterministic for a given seed.

usage: generate.py crd SIZE_MB CHANGE_PERCENT OUT_A OUT_B
       generate.py unrelated SIZE_MB OUT_A OUT_B
"""
import random
import sys


def crd_lines(size, seed):
    rnd = random.Random(seed)
    yield '{\n  "apiVersion": "v1",\n  "kind": "List",\n  "items": [\n'
    written, item = 0, 0
    while written < size:
        name = f"widget-{item}"
        lines = [
            "    {" if item == 0 else "    }, {",
            '      "apiVersion": "slipway.io/v1",',
            '      "kind": "Widget",',
            '      "metadata": {',
            f'        "name": "{name}",',
            f'        "namespace": "team-{rnd.randrange(20)}",',
            f'        "resourceVersion": "{rnd.randrange(1000000)}",',
            '        "labels": {',
            f'          "app": "{name}",',
            f'          "tier": "{rnd.choice(["web", "db"])}"',
            "        }",
            "      },",
            '      "spec": {',
            f'        "replicas": {rnd.randrange(10)},',
            '        "containers": [',
        ]
        containers = 1 + rnd.randrange(3)
        for c in range(containers):
            lines += [
                "          {",
                f'            "name": "c{c}",',
                f'            "image": "registry.example/{name}:1.{rnd.randrange(50)}",',
                f'            "cpu": "{100 + rnd.randrange(900)}m",',
                f'            "memory": "{64 + rnd.randrange(960)}Mi"',
                "          }" + ("," if c + 1 < containers else ""),
            ]
        lines += ["        ]", "      }"]
        for line in lines:
            text = line + "\n"
            written += len(text)
            yield text
        item += 1
    yield "    }\n  ]\n}\n"


def crd(size_mb, percent, out_a, out_b):
    size = int(size_mb * 1024 * 1024)
    change = random.Random(99)
    with open(out_a, "w") as a, open(out_b, "w") as b:
        for line in crd_lines(size, 1):
            a.write(line)
            if change.random() * 100 < percent:
                # Trailing space keeps the JSON valid and the line different.
                line = line[:-1] + " \n"
            b.write(line)


def unrelated(size_mb, out_a, out_b):
    size = int(size_mb * 1024 * 1024)
    for seed, out in ((1, out_a), (2, out_b)):
        rnd = random.Random(seed)
        written = 0
        with open(out, "w") as f:
            while written < size:
                line = f"entry {rnd.randrange(100000)} value {rnd.randrange(100000)} {'x' * rnd.randrange(40)}\n"
                f.write(line)
                written += len(line)


if __name__ == "__main__":
    kind = sys.argv[1]
    if kind == "crd":
        crd(float(sys.argv[2]), float(sys.argv[3]), sys.argv[4], sys.argv[5])
    elif kind == "unrelated":
        unrelated(float(sys.argv[2]), sys.argv[3], sys.argv[4])
    else:
        sys.exit(f"unknown kind {kind}")
