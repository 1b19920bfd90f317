#!/usr/bin/env python3
"""Prints the markdown summary of a bench/build/run.sh run from hyperfine's JSON exports.

  summarize.py WORKDIR DRIVER
"""
import json
import os
import sys

TARGETS = {
    "cold": ("≤ 0.7× buildah", lambda ours, theirs: ours <= 0.7 * theirs),
    "nochange": ("≤ 0.5 s wall", lambda ours, theirs: ours <= 0.5),
    "onefile": ("only affected steps re-done (checked)", None),
}
TARGETS["served-nochange"] = TARGETS["nochange"]
TARGETS["served-onefile"] = TARGETS["onefile"]
TITLES = {"cold": "cold build", "nochange": "no-change rebuild", "onefile": "one-file change",
          "served-nochange": "no-change rebuild, build server running",
          "served-onefile": "one-file change, build server running"}


def main(work, driver):
    print(f"| situation | slipway mean ± σ (min) | buildah ({driver}) mean ± σ (min) "
          "| ratio | target | met? |")
    print("|---|---:|---:|---:|---|---|")
    for name in ("cold", "nochange", "onefile", "served-nochange", "served-onefile"):
        with open(os.path.join(work, name + ".json")) as f:
            results = json.load(f)["results"]
        ours, theirs = results[0], results[1]
        target, met = TARGETS[name]
        verdict = "yes (checked)" if met is None else ("yes" if met(ours["mean"], theirs["mean"]) else "no")
        cell = lambda r: (f"{r['mean']:.2f} s (1 run)" if len(r["times"]) == 1
                          else f"{r['mean']:.2f} s ± {r['stddev']:.2f} ({r['min']:.2f})")
        print(f"| {TITLES[name]} | {cell(ours)} | {cell(theirs)} "
              f"| {ours['mean'] / theirs['mean']:.2f}× | {target} | {verdict} |")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
