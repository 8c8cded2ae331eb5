"""Writes the PEP 508 case tables (test/fixtures/requirements.ts, markers.ts) from packaging 23.0.

    /usr/bin/python3 test/oracle/case_tables.py

The inputs are hand-picked (one per rule worth pinning down); every expected
value comes from packaging.
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from packaging._parser import _parse_marker  # noqa: E402
from packaging._tokenizer import DEFAULT_RULES, ParserSyntaxError, Tokenizer  # noqa: E402
from packaging.markers import Marker  # noqa: E402
from packaging.requirements import Requirement  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "fixtures")

REQUIREMENTS = [
    "requests",
    "Requests>=2.31",
    "  spam  ",
    "name\n",
    "zope.interface[Security , Test_Extra]  >= 5 , < 7",
    "pkg[a,b,a]",
    "pkg[]",
    "pkg (>=1.0, <2)",
    "pkg(==1.*)",
    "pkg==1.0.post1+local.7",
    "pkg~=1.4.5a1",
    "pkg===anything-goes",
    "pkg===",
    "pkg>=1,",
    "pkg== 1.0",
    "pkg<=v1.0",
    "pkg>=1!2.0",
    "pkg ; python_version < '3.9'",
    "pkg;os_name=='nt'and sys_platform=='win32'",
    "pkg[x]>=1; extra == 'Foo_Bar'",
    "name @ https://example.com/name-1.0.tar.gz",
    "name@https://example.com/x.whl ; python_version >= '3'",
    "name[extra] @ git+https://github.com/o/r.git@v1#egg=name",
    "name @ file:///tmp/name",
    "name @ file://localhost/tmp/x.whl",
    "name @ http://[::1]:8080/x.whl",
    # invalid
    "",
    "-pkg",
    "fooé",
    "pkg ==1.0 garbage",
    "pkg >= 1.0 ; ",
    "pkg[a b]",
    "pkg[a,]",
    "pkg[a",
    "pkg (>=1.0",
    "pkg ~=1",
    "pkg =1.0",
    "pkg @",
    "pkg @ https://x;os_name=='nt'",
    "pkg @ https://x.whl;",
    "pkg @ file:relative/path",
    "pkg @ FILE:///tmp/x",
    "pkg @ foo",
    "pkg @ http://[::1/x",
    "pkg; os_name == 'nt' )",
    "pkg; os_name",
    "pkg; os_name = 'nt'",
    "pkg; platform.release == '5'",
    "pkg; os_name not  in 'posix'",
    "pkg; os_name notin 'posix'",
    "pkg; (os_name == 'nt'",
    "pkg===1.0,b",
    "pkg; os_name == \"a\\\"",
]

ENVIRONMENTS = {
    "linux": {
        "implementation_name": "cpython", "implementation_version": "3.11.7", "os_name": "posix",
        "platform_machine": "x86_64", "platform_release": "6.1.0-28-amd64", "platform_system": "Linux",
        "platform_version": "#1 SMP PREEMPT_DYNAMIC Debian 6.1.119-1", "python_full_version": "3.11.7",
        "platform_python_implementation": "CPython", "python_version": "3.11", "sys_platform": "linux", "extra": "",
    },
    "windows": {
        "implementation_name": "cpython", "implementation_version": "3.8.10", "os_name": "nt",
        "platform_machine": "AMD64", "platform_release": "10", "platform_system": "Windows",
        "platform_version": "10.0.19045", "python_full_version": "3.8.10",
        "platform_python_implementation": "CPython", "python_version": "3.8", "sys_platform": "win32", "extra": "",
    },
    "pre": {
        "implementation_name": "cpython", "implementation_version": "3.13.0rc1", "os_name": "posix",
        "platform_machine": "aarch64", "platform_release": "6.1", "platform_system": "Linux",
        "platform_version": "#1", "python_full_version": "3.13.0rc1",
        "platform_python_implementation": "CPython", "python_version": "3.13", "sys_platform": "linux", "extra": "Test_Extra",
    },
}

MARKERS = [
    'python_version >= "3.8"',
    'python_version < "3.10"',
    '"3.9" < python_version',
    'python_version == "3.*"',
    'python_version ~= "3.8"',
    'python_full_version >= "3.13.0a1"',
    'python_full_version < "3.13"',
    'python_version > "3.11"',
    'implementation_version === "3.11.7"',
    'os_name == "nt"',
    'os.name == "posix"',
    'sys.platform == "linux"',
    'platform.machine in "x86_64 aarch64"',
    'platform.version != "x"',
    'platform.python_implementation == "CPython"',
    'python_implementation == "CPython"',
    '"linux" in sys_platform',
    '"lin" not in sys_platform',
    'sys_platform in "win32 cygwin"',
    'platform_system < "M"',
    'platform_machine >= "arm"',
    'extra == "test-extra"',
    'extra == "TEST.EXTRA"',
    '"test_extra" == extra',
    'extra != "test_extra"',
    'extra == "1.0"',
    'extra in "test-extra,other"',
    'os_name == "posix" and python_version >= "3.9" or os_name == "nt"',
    'os_name == "nt" or (python_version >= "3.9" and sys_platform == "linux")',
    '(os_name == "nt" or os_name == "posix") and python_version < "3.12"',
    '((python_version >= "3"))',
    'python_version>"3"and os_name=="posix"',
    'platform_release >= "5"',
    'platform_release == "10"',
    'os_name ~= "posix"',
    'os_name === "posix"',
    'os_name < "3.8"',
    '"3.8" == "3.8"',
    '"posix" == "os_name"',
    'os_name == sys_platform',
    'os_name == "posix" or os_name ~= "x"',
    'python_version == "3.11" and platform_release > "6"',
    'python_version <= " 3.11 "',
    'sys_platform == "li\\x6eux"',
    'os_name == \'nt\'',
]


def syntax(e):
    cause = e if isinstance(e, ParserSyntaxError) else e.__cause__
    if isinstance(cause, ParserSyntaxError):
        return [cause.message, list(cause.span)]
    return [None, None]


def js(value):
    return json.dumps(value, ensure_ascii=False)


out = ["// Generated by test/oracle/case_tables.py with /usr/bin/python3 + packaging 23.0; do not edit by hand.",
       "// columns: input | valid | name | extras | str(specifier) | url | str(marker) | str(requirement) | error reason | error span",
       "export const requirementCases: ReadonlyArray<readonly [string, boolean, string | null, readonly string[] | null, string | null, string | null, string | null, string | null, string | null, readonly [number, number] | null]> = ["]
for text in REQUIREMENTS:
    try:
        r = Requirement(text)
        row = [text, True, r.name, sorted(r.extras), str(r.specifier), r.url, None if r.marker is None else str(r.marker), str(r), None, None]
    except Exception as e:  # noqa: BLE001
        reason, span = syntax(e)
        row = [text, False, None, None, None, None, None, None, reason, span]
    out.append("  [" + ", ".join(js(v) for v in row) + "],")
out.append("]")
with open(os.path.join(FIXTURES, "requirements.ts"), "w") as f:
    f.write("\n".join(out) + "\n")

out = ["// Generated by test/oracle/case_tables.py with /usr/bin/python3 + packaging 23.0; do not edit by hand.",
       "// markerEnvironments: the environments the marker cases are evaluated in.",
       "export const markerEnvironments = " + json.dumps(ENVIRONMENTS, indent=2) + " as const",
       "",
       "// columns: marker | str(marker) or null if invalid | result per environment (linux, windows, pre): true, false or packaging's exception name",
       "export const markerCases: ReadonlyArray<readonly [string, string | null, readonly (boolean | string)[]]> = ["]
for text in MARKERS:
    try:
        t = Tokenizer(text, rules=DEFAULT_RULES)
        _parse_marker(t)
        t.expect("END", expected="end of marker expression")
        m = Marker(text)
    except Exception:  # noqa: BLE001
        out.append(f"  [{js(text)}, null, []],")
        continue
    results = []
    for env in ENVIRONMENTS.values():
        try:
            results.append(m.evaluate(env))
        except Exception as e:  # noqa: BLE001
            results.append(type(e).__name__)
    out.append(f"  [{js(text)}, {js(str(m))}, {js(results)}],")
out.append("]")
with open(os.path.join(FIXTURES, "markers.ts"), "w") as f:
    f.write("\n".join(out) + "\n")
