"""Times packaging's Requirement on the strings of a file (one per line).

Usage: requirements_bench.py FILE
Prints one JSON object: {"ms": elapsed milliseconds of the parse loop only, "count": strings parsed}.
The loop keeps the results alive like the pipette side does.
"""
import json
import sys
import time

from packaging.requirements import Requirement

with open(sys.argv[1], encoding="utf-8") as f:
    lines = f.read().split("\n")
if lines and lines[-1] == "":
    lines.pop()

start = time.perf_counter()
parsed = [Requirement(line) for line in lines]
elapsed = (time.perf_counter() - start) * 1000
print(json.dumps({"ms": elapsed, "count": len(parsed)}))
