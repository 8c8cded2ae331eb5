"""Times PyPA packaging on the pep440 benchmark's two workloads.

Usage: pep440_bench.py DATA.json   (written by src/benchmarks/pep440.ts)

1. parse + sort: Version() on every string, then sort (timed together);
2. contains: SpecifierSet.contains(version) for every set and every candidate
   version (sets and versions parsed before the timer starts).
Prints one JSON object: {"sortMs", "containsMs", "sorted": sample of the
sorted order, "matches": how many checks said yes}. Only the work is timed,
not the interpreter's start-up or the imports.
"""
import json
import sys
import time

from packaging.specifiers import SpecifierSet
from packaging.version import Version

with open(sys.argv[1], encoding="utf-8") as f:
    data = json.load(f)

start = time.perf_counter()
ordered = sorted(Version(text) for text in data["versions"])
sort_ms = (time.perf_counter() - start) * 1000

sets = [SpecifierSet(text) for text in data["sets"]]
candidates = [Version(text) for text in data["candidates"]]
start = time.perf_counter()
matches = 0
for spec in sets:
    for version in candidates:
        if spec.contains(version):
            matches += 1
contains_ms = (time.perf_counter() - start) * 1000

step = data["sampleStep"]
print(json.dumps({
    "sortMs": sort_ms,
    "containsMs": contains_ms,
    "sorted": [str(v) for v in ordered[::step]],
    "matches": matches,
}))
