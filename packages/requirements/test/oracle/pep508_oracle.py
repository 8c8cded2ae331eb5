"""Differential-test oracle for @pipette/requirements (run with /usr/bin/python3 + packaging 23.0).

Generates random PEP 508 requirement strings and marker expressions from a
seed (valid and invalid ones: odd spacing, parentheses, extras, URLs, legacy
variable names, reversed operands, bad escapes...), runs packaging on each and
prints one JSON object per line with every answer packaging gives:

  {"kind": "requirement", "input": ..., "ok": true, "name", "extras" (sorted),
   "specifier" (str(req.specifier)), "raw_specifier", "url", "marker" (str or null),
   "str" (str(req)), "evals": [result per environment]}
  {"kind": "requirement", "input": ..., "ok": false, "error": class name,
   "reason": ParserSyntaxError message or null, "span": [start, end] or null}
  {"kind": "marker", ...same fields for markers: "marker", "evals"}

An eval result is true, false or the name of the exception packaging raised.
Standalone markers must fill the whole input (packaging >= 23.1 and pip 26 do
this; 23.0's Marker() ignored trailing text): the oracle checks the end with
23.0's own tokenizer.

Usage: pep508_oracle.py SEED COUNT_REQUIREMENTS COUNT_MARKERS
"""
import json
import random
import sys
import warnings

import packaging
from packaging._parser import _parse_marker, parse_requirement as raw_parse_requirement
from packaging._tokenizer import DEFAULT_RULES, ParserSyntaxError, Tokenizer
from packaging.markers import Marker, _normalize_extra_values
from packaging.requirements import Requirement

warnings.simplefilter("ignore")
assert packaging.__version__ == "23.0", packaging.__version__

BASE = {
    "implementation_name": "cpython",
    "implementation_version": "3.11.7",
    "os_name": "posix",
    "platform_machine": "x86_64",
    "platform_release": "6.1.0-28-amd64",
    "platform_system": "Linux",
    "platform_version": "#1 SMP PREEMPT_DYNAMIC Debian 6.1.119-1 (2024-11-22)",
    "python_full_version": "3.11.7",
    "platform_python_implementation": "CPython",
    "python_version": "3.11",
    "sys_platform": "linux",
}
ENVIRONMENTS = [
    dict(BASE, extra=""),
    dict(BASE, extra="Test_Extra"),
    dict(
        BASE,
        implementation_version="3.8.10",
        os_name="nt",
        platform_machine="AMD64",
        platform_release="10",
        platform_system="Windows",
        platform_version="10.0.19045",
        python_full_version="3.8.10",
        python_version="3.8",
        sys_platform="win32",
        extra="socks",
    ),
    dict(
        BASE,
        implementation_name="pypy",
        implementation_version="7.3.11",
        platform_machine="arm64",
        platform_release="22.1.0",
        platform_system="Darwin",
        platform_version="Darwin Kernel Version 22.1.0",
        python_full_version="3.9.16",
        platform_python_implementation="PyPy",
        python_version="3.9",
        sys_platform="darwin",
        extra="",
    ),
    dict(BASE, python_full_version="3.13.0rc1", python_version="3.13", implementation_version="3.13.0rc1", extra="dev"),
]

R = random.Random(int(sys.argv[1]))
N_REQ = int(sys.argv[2])
N_MARKER = int(sys.argv[3])
MUTATION_RATE = float(sys.argv[4]) if len(sys.argv) > 4 else 0.06


def pick(*items):
    return R.choice(items)


def ws(p=0.3):
    if R.random() > p:
        return ""
    return pick(" ", " ", "  ", "\t", " \t ")


NAMES = [
    "requests", "Requests", "zope.interface", "typing_extensions", "Foo-Bar", "a", "A1", "x.y_z-w",
    "pip", "setuptools", "name--x", "n__m", "fooé", "-foo", "foo-", "foo.", "_x", "1", "9lives", "",
    "foo$", "éa", "foo_", "in", "and", "python_version", "Ünïcode",
]
EXTRAS = ["socks", "Test_Extra", "dev", "a.b", "x-y", "security", "foo_", "-bad", "é", "1"]
VERSIONS = [
    "1.0", "1", "1.0.0", "2.7", "3.8", "3.11.7", "1.0a1", "1.0.post1", "1.0.dev0", "1!2.0", "v1.0",
    "1.0+local.1", "1.*", "1.0.*", "1.0-1", "1.0rc2", "1.0_alpha-3", "1.0.PREVIEW2", "1.0c1", "1.0r5", "1.0-dev",
    "0", "1.0a", "1.0.", "1..0", "foo", "1.0*", "1.0+", ".1", "1.0+ab_c-d.e",
]
OPS = ["==", "!=", "<=", ">=", "<", ">", "~=", "===", "=", "=>", "<>"]
URLS = [
    "https://example.com/pkg-1.0.tar.gz", "https://user:pw@example.com/p.whl", "file:///tmp/pkg",
    "file://localhost/tmp/p.whl", "file:relative/path", "FILE:///tmp/x", "file:///tmp/x?", "file:///tmp/x#frag",
    "git+https://github.com/a/b.git@v1.0#egg=b", "git+ssh://git@github.com/a/b.git", "http://[::1]:8080/x",
    "http://[1.2.3.4]/x", "http://[/x", "http://]x/", "foo", "/abs/path", "C:\\x\\y.whl", "https://x",
    "https://ex.com/a;b=c", "http://ex.com:80/x?a=b#c", "ssh://h", "https://ex.com/x;os_name=='nt'",
]
VARIABLES = [
    "python_version", "python_full_version", "os_name", "os.name", "sys_platform", "sys.platform",
    "platform_release", "platform_system", "platform_version", "platform.version", "platform_machine",
    "platform.machine", "platform_python_implementation", "platform.python_implementation",
    "python_implementation", "implementation_name", "implementation_version", "extra",
]
BAD_VARIABLES = ["platform.release", "python.version", "Python_version", "os_nam", "foo", "extras", "os-name"]
MARKER_OPS = ["==", "!=", "<=", ">=", "<", ">", "~=", "===", "in", "not in"]
BAD_MARKER_OPS = ["=", "not  in", "notin", "<>", "is", "=>", "not\tin"]
VALUES = [
    "3.8", "3.11", "3.11.7", "2.7", "3", "3.*", "3.11.*", "3.13.0rc1", "3.13", "1.0a1", "7.3.11", "6.1",
    "posix", "nt", "linux", "win32", "darwin", "Linux", "Windows", "CPython", "PyPy", "cpython", "pypy",
    "x86_64", "AMD64", "arm64", "", " 3.8 ", "socks", "Test-Extra", "test_extra", "dev", "DEV", "lin",
    "6.1.0-28-amd64", "10", "22.1.0", "10.0.19045", "SMP", "extra", "os_name", "python_version",
    "a,b", "a b", "x)", "3.8;", "ü", "\\x41", "\\n",
]


def quote(value):
    if R.random() < 0.015:
        return pick('"\\"', "'a\\'", '"\\xZZ"', '"open', "'x\\\nz'")
    if "'" in value and '"' in value:
        return '"' + value.replace('"', "") + '"'
    if '"' in value:
        return "'" + value + "'"
    if "'" in value:
        return '"' + value + '"'
    q = pick('"', "'")
    return q + value + q


VALUES_FOR = {
    "python_version": ["3.8", "3.11", "2.7", "3", "3.9", "3.13", "3.*", "3.1*", "3.10"],
    "python_full_version": ["3.11.7", "3.8.10", "3.13.0rc1", "3.13.0", "3.9.16", "3.11.*", "3.8"],
    "implementation_version": ["3.11.7", "7.3.11", "3.13.0rc1", "3.8"],
    "os_name": ["posix", "nt", "java", "pos"],
    "sys_platform": ["linux", "win32", "darwin", "cygwin", "lin"],
    "platform_release": ["6.1.0-28-amd64", "10", "22.1.0", "6.1"],
    "platform_system": ["Linux", "Windows", "Darwin", "linux"],
    "platform_version": ["10.0.19045", "SMP", "Darwin Kernel Version 22.1.0", "#1"],
    "platform_machine": ["x86_64", "AMD64", "arm64", "aarch64", "86"],
    "platform_python_implementation": ["CPython", "PyPy", "cpython", "Py"],
    "implementation_name": ["cpython", "pypy", "CPython"],
    "extra": ["socks", "Test-Extra", "test_extra", "dev", "DEV", "Socks", "te", "1.0", ""],
}


def value_for(variable):
    key = variable.replace(".", "_")
    if key == "python_implementation":
        key = "platform_python_implementation"
    if key in VALUES_FOR and R.random() < 0.8:
        return pick(*VALUES_FOR[key])
    return pick(*VALUES)


def operand_variable():
    return pick(*VARIABLES) if R.random() > 0.03 else pick(*BAD_VARIABLES)


def marker_item():
    op = pick(*MARKER_OPS) if R.random() > 0.03 else pick(*BAD_MARKER_OPS)
    if op in ("~=", "===") and R.random() < 0.6:
        op = "=="
    variable = operand_variable()
    value = quote(value_for(variable))
    r = R.random()
    if r < 0.65:
        left, right = variable, value
    elif r < 0.93:
        left, right = value, variable
    elif r < 0.96:
        left, right = variable, operand_variable()
    else:
        left, right = value, quote(pick(*VALUES))
    sep = lambda: ws(0.5)
    if op[0].isalpha():
        return left + pick(" ", "  ", "\t") + op + pick(" ", "  ", "") + right
    return left + sep() + op + sep() + right


def marker_expr(depth=0):
    if depth < 3 and R.random() < 0.3:
        inner = marker_expr(depth + 1)
        expr = "(" + ws() + inner + ws() + (")" if R.random() > 0.03 else "")
    else:
        expr = marker_item()
    while R.random() < (0.45 if depth == 0 else 0.3):
        joiner = pick(" and ", " or ", "and ", " or", "  and\t", " AND ", " && ") if R.random() < 0.04 else pick(" and ", " or ")
        right = marker_expr(depth + 1) if R.random() < 0.3 else marker_item()
        expr = expr + joiner + right
    return expr


def marker_string():
    m = ws() + marker_expr() + ws()
    r = R.random()
    if r < 0.02:
        m += pick(" garbage", ")", " ;", "\n", " and")
    elif r < 0.02 + MUTATION_RATE:
        m = mutate(m)
    return m


def specifier_clause():
    op = pick(*OPS[:8]) if R.random() > 0.03 else pick(*OPS[8:])
    version = pick(*VERSIONS[:20]) if R.random() < 0.85 else pick(*VERSIONS)
    if op in ("~=", "===") and R.random() < 0.5:
        op = ">="
    return op + ws(0.2) + version


def specifier_string():
    parts = [specifier_clause() for _ in range(R.choice([1, 1, 1, 2, 2, 3]))]
    text = (ws() + "," + ws()).join(parts)
    if R.random() < 0.05:
        text += ","
    if R.random() < 0.25:
        text = "(" + ws() + text + ws() + (")" if R.random() > 0.05 else "")
    return text


def requirement_string():
    out = ws(0.1) + pick(*NAMES) if R.random() < 0.1 else ws(0.1) + pick(*NAMES[:12])
    out += ws()
    r = R.random()
    if r < 0.3:
        extras = [pick(*EXTRAS[:6]) if R.random() < 0.93 else pick(*EXTRAS) for _ in range(R.choice([0, 1, 1, 2, 3]))]
        body = (ws() + "," + ws()).join(extras)
        if R.random() < 0.04:
            body = body.replace(",", " ", 1) if "," in body else body + ","
        out += "[" + ws() + body + ws() + ("]" if R.random() > 0.03 else "")
        out += ws()
    r = R.random()
    if r < 0.2:
        out += "@" + ws(0.8) + pick(*URLS)
        if R.random() < 0.4:
            out += pick(" ", "  ", "\t", "") + ";" + ws() + marker_expr()
    elif r < 0.85:
        out += specifier_string()
        if R.random() < 0.4:
            out += ws() + pick(";", ";", ";", "") + ws() + marker_expr()
    else:
        if R.random() < 0.5:
            out += ";" + ws() + marker_expr()
    out += pick("", "", "", "", "", "", "", "", " ", "\n", " x", "\t")
    if R.random() < MUTATION_RATE:
        out = mutate(out)
    return out


def mutate(text):
    chars = list(text)
    for _ in range(R.choice([1, 1, 2, 3])):
        op = R.random()
        pos = R.randrange(len(chars) + 1)
        if op < 0.4 and chars:
            del chars[min(pos, len(chars) - 1)]
        elif op < 0.8:
            chars.insert(pos, pick(*'[](),;@=<>~!"\' \t.-_*+#aZ9é\\', "\n", "\u212a", "\u017f", "\u0131", "\xa0", "\x0b", "\U0001d400", "v", "!"))
        elif chars:
            chars[min(pos, len(chars) - 1)] = pick(*'()[];,=" ')
    return "".join(chars)


def evaluate(marker):
    results = []
    for env in ENVIRONMENTS:
        try:
            results.append(marker.evaluate(env))
        except Exception as e:  # noqa: BLE001 - the oracle records which error
            results.append(type(e).__name__)
    return results


def syntax_error(error):
    cause = error if isinstance(error, ParserSyntaxError) else error.__cause__
    if isinstance(cause, ParserSyntaxError):
        return {"reason": cause.message, "span": list(cause.span)}
    return {"reason": None, "span": None}


def requirement_case(text):
    try:
        req = Requirement(text)
    except Exception as e:  # noqa: BLE001
        return dict({"kind": "requirement", "input": text, "ok": False, "error": type(e).__name__}, **syntax_error(e))
    raw = raw_parse_requirement(text)
    return {
        "kind": "requirement",
        "input": text,
        "ok": True,
        "name": req.name,
        "extras": sorted(req.extras),
        "specifier": str(req.specifier),
        "raw_specifier": raw.specifier,
        "url": req.url,
        "marker": None if req.marker is None else str(req.marker),
        "str": str(req),
        "evals": None if req.marker is None else evaluate(req.marker),
    }


def marker_case(text):
    try:
        tokenizer = Tokenizer(text, rules=DEFAULT_RULES)
        _parse_marker(tokenizer)
        tokenizer.expect("END", expected="end of marker expression")
        marker = Marker(text)
    except Exception as e:  # noqa: BLE001
        return dict({"kind": "marker", "input": text, "ok": False, "error": type(e).__name__}, **syntax_error(e))
    return {"kind": "marker", "input": text, "ok": True, "marker": str(marker), "evals": evaluate(marker)}


def main():
    out = sys.stdout
    out.write(json.dumps({"kind": "environments", "environments": ENVIRONMENTS}) + "\n")
    for _ in range(N_REQ):
        out.write(json.dumps(requirement_case(requirement_string())) + "\n")
    for _ in range(N_MARKER):
        out.write(json.dumps(marker_case(marker_string())) + "\n")


main()
