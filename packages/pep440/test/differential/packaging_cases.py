#!/usr/bin/python3
"""Generates random PEP 440 cases and PyPA packaging's answers, as JSON on stdout.

Run by test/differential.test.ts with Debian's /usr/bin/python3 (packaging 23.0):

    /usr/bin/python3 packaging_cases.py SEED SCALE

The strings are fuzzed on purpose: odd spellings and case, separators,
whitespace (ASCII and Unicode), `v` prefixes, epochs, implicit post releases,
local segments, wildcards, big numbers, characters Python's IGNORECASE folds
(İ ı ſ K), and random insertions, deletions and replacements that make many of
them invalid. Every answer is packaging's own (an exception is recorded as
{"error": <class name>}), so the test compares against the oracle, not
against expectations written by hand.

One packaging answer depends on Python's string hashing: a set's
`prereleases` iterates a frozenset and stops at the first specifier that
allows pre-releases or raises (`===` with a text that is not a version). For
such sets the case records the answer as if the allowing specifier came first
and says so ("order": true); the answer packaging gave in this process must be
either that or the exception, which is asserted here.
"""
import json
import random
import sys

from packaging.specifiers import InvalidSpecifier, Specifier, SpecifierSet
from packaging.version import InvalidVersion, Version

SEED = int(sys.argv[1]) if len(sys.argv) > 1 else 440
SCALE = float(sys.argv[2]) if len(sys.argv) > 2 else 1.0
rng = random.Random(SEED)

WS = [" ", "  ", "\t", "\n", "\r\n", "\x0b", "\x0c", "\x1c", "\x85", "\xa0", "\u2003", "\u3000"]
PRE = ["a", "A", "alpha", "Alpha", "ALPHA", "b", "B", "beta", "BETA", "c", "C", "rc", "RC", "Rc",
       "pre", "PRE", "preview", "PREVIEW", "Preview", "prev\u0130ew", "prev\u0131ew"]
POST = ["post", "POST", "Post", "rev", "REV", "r", "R", "po\u017ft"]
DEV = ["dev", "DEV", "Dev"]
SEP = ["", "", "", ".", "-", "_"]
LOCAL_WORDS = ["ubuntu", "Ubuntu", "abc", "ABC", "deadbeef", "cpu", "cu118", "a1b2", "k", "\u212a",
               "\u0130", "\u0131", "\u017f", "x", "git", "dirty", "z9"]
JUNK = list("!+*=;)( ._-abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789~<>,") + [
    "\u00e9", "\u0130", "\u0131", "\u017f", "\u212a", "\u00b2", "\u0663", " ", "\t"]
OPS = ["==", "!=", "<=", ">=", "<", ">", "~=", "==="]
BAD_OPS = ["=", "=>", "=<", "~", "<>", "====", "!", "!==", "~==", ">==", "=="]


def number(big_chance=0.01):
    r = rng.random()
    if r < big_chance:
        return str(rng.randint(10**15, 10**25))
    if r < 0.05:
        return "0" * rng.randint(1, 3) + str(rng.randint(0, 20))
    if r < 0.45:
        return str(rng.randint(0, 3))
    if r < 0.8:
        return str(rng.randint(0, 20))
    return str(rng.randint(0, 70000))


def maybe(p):
    return rng.random() < p


def local_part():
    if maybe(0.4):
        return number(0)
    return rng.choice(LOCAL_WORDS) + (number(0) if maybe(0.3) else "")


def version_text(allow_junk=True):
    """A random version-like string, usually valid, often odd."""
    s = ""
    if maybe(0.05):
        s += rng.choice(["v", "V"])
    if maybe(0.1):
        s += number() + "!"
    parts = [number() for _ in range(rng.choice([1, 1, 2, 2, 2, 3, 3, 4, 5]))]
    if maybe(0.15):
        parts += ["0"] * rng.randint(1, 3)
    s += ".".join(parts)
    if maybe(0.3):
        s += rng.choice(SEP) + rng.choice(PRE) + rng.choice(SEP) + (number(0) if maybe(0.8) else "")
    if maybe(0.25):
        if maybe(0.3):
            s += "-" + number(0)
        else:
            s += rng.choice(SEP) + rng.choice(POST) + rng.choice(SEP) + (number(0) if maybe(0.8) else "")
    if maybe(0.25):
        s += rng.choice(SEP) + rng.choice(DEV) + rng.choice(SEP) + (number(0) if maybe(0.8) else "")
    if maybe(0.15):
        s += "+" + local_part()
        for _ in range(rng.choice([0, 0, 1, 2])):
            s += rng.choice([".", "-", "_"]) + local_part()
    if maybe(0.04):
        s += ".*"
    if maybe(0.08):
        s = rng.choice(WS) + s
    if maybe(0.08):
        s += rng.choice(WS)
    if allow_junk and maybe(0.2):
        s = mutate(s)
    return s


def mutate(s):
    for _ in range(rng.randint(1, 3)):
        i = rng.randint(0, len(s))
        r = rng.random()
        if r < 0.4:
            s = s[:i] + rng.choice(JUNK) + s[i:]
        elif r < 0.7 and s:
            s = s[:i] + s[i + 1:]
        elif s:
            s = s[:i] + rng.choice(JUNK) + s[i + 1:]
    return s


def near(v):
    """A valid version string close to v (same release, neighbours, pre/post/dev/local variants)."""
    rel = list(v.release)
    r = rng.random()
    if r < 0.3 and rel:
        i = rng.randrange(len(rel))
        rel[i] = max(0, rel[i] + rng.choice([-1, 1]))
    elif r < 0.4:
        rel = rel + [0] * rng.randint(1, 2)
    elif r < 0.5:
        rel = rel + [rng.randint(0, 3)]
    elif r < 0.6 and len(rel) > 1:
        rel = rel[:-1]
    s = ""
    if v.epoch or maybe(0.05):
        s += str(v.epoch if maybe(0.9) else v.epoch + 1) + "!"
    s += ".".join(str(x) for x in rel)
    if maybe(0.3):
        s += rng.choice(["a", "b", "rc"]) + str(rng.randint(0, 2))
    elif v.pre and v.pre[0] in ("a", "b", "rc") and maybe(0.5):
        s += v.pre[0] + str(max(0, v.pre[1] + rng.choice([-1, 0, 1])))
    if maybe(0.25):
        s += ".post" + str(rng.randint(0, 2))
    elif v.post is not None and maybe(0.5):
        s += ".post" + str(v.post)
    if maybe(0.2):
        s += ".dev" + str(rng.randint(0, 2))
    elif v.dev is not None and maybe(0.5):
        s += ".dev" + str(v.dev)
    if maybe(0.15):
        s += "+" + local_part()
    elif v.local and "\u0307" not in v.local and maybe(0.5):
        s += "+" + v.local
    if maybe(0.03):
        s = s.replace("post", "po\u017ft")
    return s


def attrs(v):
    nums = [v.epoch, *v.release, v.pre[1] if v.pre else 0, v.post or 0, v.dev or 0]
    if max(nums) > 2**53 - 1:
        return None
    return {
        "epoch": v.epoch, "release": list(v.release), "pre": list(v.pre) if v.pre else None,
        "post": v.post, "dev": v.dev, "local": v.local, "public": v.public,
        "base_version": v.base_version, "is_prerelease": v.is_prerelease,
        "is_postrelease": v.is_postrelease, "is_devrelease": v.is_devrelease,
        "major": v.major, "minor": v.minor, "micro": v.micro,
    }


def outcome(fn):
    try:
        return fn()
    except (InvalidVersion, InvalidSpecifier, ValueError) as e:
        return {"error": type(e).__name__}


def spec_text(anchor):
    """A random specifier string built around a version string."""
    r = rng.random()
    if r < 0.05:
        op = rng.choice(BAD_OPS)
    else:
        op = rng.choice(OPS + ["==", ">=", "<", "~=", "!="])
    version = anchor
    if op in ("==", "!=") and maybe(0.2):
        try:
            parsed = Version(anchor)
            cut = parsed.release[: rng.randint(1, len(parsed.release))]
            version = (f"{parsed.epoch}!" if parsed.epoch and maybe(0.8) else "") + ".".join(map(str, cut)) + ".*"
        except InvalidVersion:
            version = anchor + ".*"
    if op == "===" and maybe(0.3):
        version = rng.choice(["foo", "1.0", "1.0.0", "1.0a1", "1.0+abc", "", "1.0;x", "1.0)", "x y", "1.0-1"])
    text = op + (rng.choice(WS) if maybe(0.15) else "") + version
    if maybe(0.1):
        text = rng.choice(WS) + text
    if maybe(0.1):
        text += rng.choice(WS)
    if maybe(0.05):
        text = mutate(text)
    return text


def set_prereleases_rule(spec_set):
    """The set's prereleases as if an allowing specifier came first; and whether the order matters."""
    results = []
    for s in spec_set:
        try:
            results.append(bool(s.prereleases))
        except InvalidVersion:
            results.append("raise")
    if True in results:
        return True, "raise" in results
    if "raise" in results:
        return "raise", False
    return (False if results else None), False


def main():
    n = lambda k: max(1, int(k * SCALE))
    out = {"seed": SEED, "versions": [], "compare": [], "sort": [], "specifiers": [], "contains": [], "filter": []}

    # Versions: validity, normalized string, attributes.
    pool = []
    texts = [version_text() for _ in range(n(6000))]
    texts += ["1.0", "1.0.0", "1!1.0", "v1.0", " 1.0 ", "1.0-1", "1.0-r", "1.0a-", "1.0a--1", "1.0..post",
              "1.0+", "1.0.", ".1", "1", "", " ", "1.0.*", "1.0+a..b", "1.0+a-b_c.d", "1.0prev\u0130ew1",
              "1.0po\u017ft1", "1.0+\u212a", "1.0\u00b2", "\u0661.0", "1.0-dev", "1.0dev", "1.0.dev-1",
              "1.0.post-dev", "1.0c1", "1.0pre", "1.0preview-2", "1.0alpha.beta", "01.02.03", "1!"]
    for t in texts:
        try:
            v = Version(t)
        except InvalidVersion:
            out["versions"].append({"text": t, "valid": False})
            continue
        pool.append((t, v))
        out["versions"].append({"text": t, "valid": True, "str": str(v), "attrs": attrs(v)})

    # Ordering: pairs of valid versions, often close to each other.
    strs = [t for t, _ in pool]
    for _ in range(n(4000)):
        a_text, a = rng.choice(pool)
        b_text = near(a) if maybe(0.7) else rng.choice(strs)
        b = Version(b_text)
        if maybe(0.2) and _valid(str(a)):
            a_text = rng.choice([str(a), str(a).upper(), " " + str(a)])
            a = Version(a_text)
        out["compare"].append({"a": a_text, "b": b_text, "cmp": (a > b) - (a < b)})
    for _ in range(n(200)):
        items = [rng.choice(strs) if maybe(0.5) else near(rng.choice(pool)[1]) for _ in range(rng.randint(2, 30))]
        out["sort"].append({"items": items, "sorted": [str(v) for v in sorted(Version(x) for x in items)]})

    # Specifier sets: validity, str, prereleases, then contains and filter.
    sets = []
    for _ in range(n(3000)):
        count = rng.choice([0, 1, 1, 1, 2, 2, 3, 4])
        anchors = [rng.choice(strs) if maybe(0.7) else version_text() for _ in range(count)]
        parts = [spec_text(a) for a in anchors]
        if maybe(0.1):
            parts.insert(rng.randint(0, len(parts)), rng.choice(["", " ", "\t"]))
        text = ",".join(parts)
        case = {"text": text}
        try:
            ss = SpecifierSet(text)
        except InvalidSpecifier:
            case["valid"] = False
            out["specifiers"].append(case)
            continue
        case["valid"] = True
        case["str"] = str(ss)
        rule, order = set_prereleases_rule(ss)
        actual = outcome(lambda: ss.prereleases)
        if not order:
            assert actual == ({"error": "InvalidVersion"} if rule == "raise" else rule), (text, actual, rule)
        case["prereleases"] = {"error": "InvalidVersion"} if rule == "raise" else rule
        case["order"] = order
        case["each"] = [[str(s), outcome(lambda: s.prereleases)] for s in ss]
        out["specifiers"].append(case)
        sets.append((text, ss, rule, order, anchors))

    for _ in range(n(10000)):
        text, ss, rule, order, anchors = rng.choice(sets)
        candidates = [a for a in anchors if _valid(a)]
        if candidates and maybe(0.8):
            v_text = near(Version(rng.choice(candidates)))
        else:
            v_text = rng.choice(strs) if maybe(0.9) else version_text()
        results = {}
        for mode in (None, True, False):
            results[str(mode)] = contains_rule(ss, v_text, mode, rule)
        out["contains"].append({"set": text, "version": v_text, "order": order, "results": results})

    for _ in range(n(1500)):
        text, ss, rule, order, anchors = rng.choice(sets)
        candidates = [a for a in anchors if _valid(a)] or [rng.choice(strs)]
        items = [near(Version(rng.choice(candidates))) if maybe(0.7) else rng.choice(strs)
                 for _ in range(rng.randint(0, 8))]
        if maybe(0.03):
            items.insert(rng.randint(0, len(items)), "not a version")
        results = {}
        for mode in (None, True, False):
            results[str(mode)] = filter_rule(ss, items, mode, rule)
        single = None
        if len(ss) == 1:
            (spec,) = list(ss)
            single = {str(mode): outcome(lambda: list(spec.filter(items, prereleases=mode))) for mode in (None, True, False)}
        out["filter"].append({"set": text, "items": items, "order": order, "results": results, "single": single})

    json.dump(out, sys.stdout, ensure_ascii=True)


def _valid(text):
    try:
        Version(text)
        return True
    except InvalidVersion:
        return False


RAISE = {"error": "InvalidVersion"}


def all_rule(ss, v, prereleases):
    """all(s.contains(v, prereleases)) without frozenset order: False if any says no, else raise if any raises."""
    results = [outcome(lambda: s.contains(v, prereleases=prereleases)) for s in ss]
    if False in results:
        return False, RAISE in results
    if RAISE in results:
        return RAISE, False
    return True, False


def contains_rule(ss, v_text, mode, rule):
    """packaging's SpecifierSet.contains, with the order-independent rules where frozenset order matters."""
    actual = outcome(lambda: ss.contains(v_text, prereleases=mode))
    try:
        v = Version(v_text)
    except InvalidVersion:
        assert actual == RAISE
        return actual
    prereleases = mode if mode is not None else rule
    if prereleases == "raise":
        expected, ambiguous = RAISE, False
    elif not prereleases and v.is_prerelease:
        expected, ambiguous = False, False
    else:
        expected, ambiguous = all_rule(ss, v, prereleases)
    ambiguous = ambiguous or (mode is None and rule is True)
    assert actual == expected or (ambiguous and actual in (RAISE, False)), (str(ss), v_text, mode, actual, expected)
    return expected


def filter_rule(ss, items, mode, rule):
    """packaging's SpecifierSet.filter, with the order-independent rules where frozenset order matters."""
    actual = outcome(lambda: list(ss.filter(items, prereleases=mode)))
    if len(ss) == 0 or actual != RAISE and mode is not None:
        return actual
    prereleases = mode if mode is not None else rule
    if prereleases == "raise":
        return RAISE
    kept = []
    for item in items:
        try:
            v = Version(item)
        except InvalidVersion:
            return RAISE
        if not prereleases and v.is_prerelease:
            continue
        ok, _ = all_rule(ss, v, bool(prereleases))
        if ok == RAISE:
            return RAISE
        if ok:
            kept.append(item)
    assert actual == kept or actual == RAISE, (str(ss), items, mode, actual, kept)
    return kept


if __name__ == "__main__":
    main()
