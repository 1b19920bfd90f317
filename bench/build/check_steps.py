#!/usr/bin/env python3
"""Checks which steps a `slipway build --progress=plain` log took from the cache.

  check_steps.py LOG --cached TEXT... --done TEXT...

Each TEXT names the one step whose description contains it; a --cached step must end CACHED, a
--done step must end DONE (computed). Exits 1, naming the step, when one does not.
"""
import argparse
import re
import sys


def outcomes(log):
    """description -> CACHED | DONE | ERROR for every numbered step in the log."""
    names, results = {}, {}
    for line in log.splitlines():
        m = re.match(r"#(\d+) (CACHED|DONE|ERROR)\b", line)
        if m:
            results[m.group(1)] = m.group(2)
            continue
        m = re.match(r"#(\d+) (.*)", line)
        if m:
            names[m.group(1)] = m.group(2)
    return {names[n]: results.get(n, "UNFINISHED") for n in names}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("log")
    parser.add_argument("--cached", nargs="*", default=[])
    parser.add_argument("--done", nargs="*", default=[])
    args = parser.parse_args()
    with open(args.log) as f:
        steps = outcomes(f.read())
    failed = False
    for wanted, texts in (("CACHED", args.cached), ("DONE", args.done)):
        for text in texts:
            matching = [d for d in steps if text in d]
            if len(matching) != 1:
                print(f"check_steps: {len(matching)} steps match {text!r} in {args.log}",
                      file=sys.stderr)
                failed = True
            elif steps[matching[0]] != wanted:
                print(f"check_steps: {matching[0]!r} was {steps[matching[0]]}, expected {wanted}",
                      file=sys.stderr)
                failed = True
    for description, outcome in steps.items():
        print(f"  {outcome:10} {description}", file=sys.stderr)
    if failed:
        sys.exit(1)
    print("check_steps: one-file change re-did exactly the expected steps", file=sys.stderr)


if __name__ == "__main__":
    main()
