"""Generates test/fixtures/requirements-files.generated.json from pip's own parser.

Run with pip's interpreter (python3 -m pip is pip 23.2.1 here):
    python3 test/oracle/pip_req_file.py > test/fixtures/requirements-files.generated.json

For each case (a set of files, the top file and an environment) it runs pip's
RequirementsFileParser (req_file.py: decoding, continuations, comments, ${VAR}
expansion, option splitting with shlex/optparse, -r/-c recursion) and records,
for every line pip yields, the file, the line number, the requirement or
editable text and the options, or the error message. The cases avoid what
changed between pip 23.2 and 26 (--global-option, --use-feature choices,
recursion checks), which have hand-written fixtures instead.
"""
import json
import os
import sys
import tempfile

from pip._internal.exceptions import InstallationError, RequirementsFileParseError
from pip._internal.network.session import PipSession
from pip._internal.req.req_file import RequirementsFileParser, get_line_parser

CASES = {
    "basic": {"r.txt": "requests>=2.31\nflask[async] ==3.0 ; python_version >= '3.8'\n"},
    "comments and blanks": {"r.txt": "# top comment\n\n   \nfoo # trailing comment\nhttps://x.example/p.tar.gz#egg=p\n\t# indented comment\nbaz\t# tab comment\n"},
    "continuations": {"r.txt": "foo==1.0 \\\n  --hash=sha256:abc \\\n  --hash=sha256:def\nbar\\\n\\\n >=1\nlast \\\n"},
    "continuation then comment": {"r.txt": "foo \\\n# a comment\nbar\n"},
    "backslashes stripped both ends": {"r.txt": "\\\\foo\\\\\nbar\n"},
    "crlf and odd line ends": {"r.txt": "a\r\nb\rc\x0bd\x0ce\u2028f\u0085g\n"},
    "env vars": {"r.txt": "pkg @ ${BASE_URL}/pkg.whl\n${NAME}==1.0\nhttps://h.example/${EMPTY_VAR}/x.tar.gz\nhttps://h.example/${lower}.tar.gz\nhttps://h.example/$NAME.tar.gz\n${NAME}${NAME}\n", "__env__": {"BASE_URL": "https://h.example/p", "NAME": "spam", "EMPTY_VAR": "", "lower": "x"}},
    "hashes": {"r.txt": "foo==1.0 --hash=sha256:aaa --hash sha512:bbb --hash=sha256:ccc\n"},
    "config settings": {"r.txt": "foo --config-settings k=v -C k=w --config-settings=other=1\n-e ./pkg -C a=b\n", "pkg/pyproject.toml": "[project]\nname='p'\n"},
    "global options": {"r.txt": "--index-url https://i.example/simple\n-i https://j.example/simple --extra-index-url https://k.example\n--extra-index-url=https://l.example\n--no-index\n--pre --prefer-binary\n--require-hashes\n--trusted-host h.example -f ./wheels -f ./more\n--only-binary :all:\n--no-binary foo,bar\n--find-links=https://f.example/links\n"},
    "option abbreviations": {"r.txt": "--extra-index https://a.example\n--index-u=https://b.example\n--no-ind\n--pref\n--requirem=other.txt\n", "other.txt": "x\n"},
    "short option forms": {"r.txt": "-rother.txt\n-r other.txt\n-fhttps://f.example\n-ihttps://i.example\n", "other.txt": "y\n"},
    "options on requirement lines": {"r.txt": "foo --pre --index-url https://i.example\nbar; python_version<'4' --hash=sha256:abc\n"},
    "shlex quoting": {"r.txt": "--index-url 'https://i.example/a b'\n--extra-index-url \"https://e.example/x\\\"y\"\n--trusted-host=a\\ b\n"},
    "editables": {"r.txt": "-e git+https://github.com/o/r.git#egg=r\n--editable=./pkg\n-e ./pkg[test]\n-e ./pkg -e ./other\n", "pkg/pyproject.toml": "", "other/setup.py": ""},
    "nested requirements": {"r.txt": "a\n-r sub/more.txt\nb\n", "sub/more.txt": "c\n-r deeper.txt\n", "sub/deeper.txt": "d\n"},
    "nested constraints": {"r.txt": "a\n-c constraints.txt\n", "constraints.txt": "b<2\n-r inner.txt\n", "inner.txt": "c\n"},
    "-r wins over -c on one line": {"r.txt": "-r a.txt -c b.txt\n", "a.txt": "fromA\n", "b.txt": "fromB\n"},
    "positional words ignored": {"r.txt": "-r a.txt b.txt\n--pre extra words\n", "a.txt": "fromA\n"},
    "double dash": {"r.txt": "--pre -- --no-index\n"},
    "utf-8 bom": {"r.txt": "\ufefffoo\nbar\n"},
    "coding line latin-1": {"r.txt": "# -*- coding: latin-1 -*-\nfoo\n# caf\u00e9\n", "__encoding__": "latin-1"},
    "utf-16 bom": {"r.txt": "\ufefffoo\nbar\n", "__encoding__": "utf-16-le-bom"},
    "urls and paths": {"r.txt": "https://x.example/pkg-1.0.tar.gz\n./local/pkg-1.0-py3-none-any.whl\nname @ https://x.example/n.whl ; python_version >= '3'\ngit+https://g.example/r.git@v1#egg=r\n"},
    "error unknown option": {"r.txt": "foo\n--frobnicate\n"},
    "error ambiguous option": {"r.txt": "--no\n"},
    "error missing value": {"r.txt": "ok\n-r\n"},
    "error flag with value": {"r.txt": "--pre=yes\n"},
    "error bad hash": {"r.txt": "foo --hash=md5:abc\n"},
    "error hash without algorithm": {"r.txt": "foo --hash=abc\n"},
    "error config settings without =": {"r.txt": "foo --config-settings novalue\n"},
    "error unclosed quote": {"r.txt": "--index-url 'https://x\n"},
    "error missing nested file": {"r.txt": "a\n-r missing.txt\n"},
    "error in nested file": {"sub/r2.txt": "ok\n\n--bogus\n", "r.txt": "-r sub/r2.txt\n"},
}


def write(root, name, content, encoding):
    path = os.path.join(root, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if encoding == "latin-1":
        data = content.encode("latin-1")
    elif encoding == "utf-16-le-bom":
        data = content.encode("utf-16-le")
    else:
        data = content.encode("utf-8")
    with open(path, "wb") as f:
        f.write(data)


def run(case):
    files = {k: v for k, v in case.items() if not k.startswith("__")}
    env = case.get("__env__", {})
    encoding = case.get("__encoding__", "utf-8")
    with tempfile.TemporaryDirectory() as root:
        for name, content in files.items():
            write(root, name, content, encoding if name == "r.txt" else "utf-8")
        old_cwd = os.getcwd()
        old_env = dict(os.environ)
        os.chdir(root)
        os.environ.update(env)
        try:
            parser = RequirementsFileParser(PipSession(), get_line_parser(None))
            lines = []
            for line in parser.parse("r.txt", False):
                opts = {}
                for key in ["hashes", "config_settings", "index_url", "extra_index_urls", "no_index", "find_links", "pre",
                            "prefer_binary", "require_hashes", "trusted_hosts", "features_enabled"]:
                    value = getattr(line.opts, key, None)
                    if value not in (None, [], False, {}):
                        opts[key] = value
                fc = line.opts.format_control
                if fc.no_binary or fc.only_binary:
                    opts["format_control"] = {"no_binary": sorted(fc.no_binary), "only_binary": sorted(fc.only_binary)}
                lines.append({
                    "file": os.path.relpath(os.path.join(root, line.filename), root),
                    "line": line.lineno,
                    "requirement": line.requirement if line.is_requirement else None,
                    "editable": bool(line.is_requirement and line.is_editable),
                    "constraint": line.constraint,
                    "opts": opts,
                })
            return {"files": files, "env": env, "encoding": encoding, "lines": lines}
        except (RequirementsFileParseError, InstallationError) as e:
            return {"files": files, "env": env, "encoding": encoding, "error": str(e)}
        finally:
            os.chdir(old_cwd)
            os.environ.clear()
            os.environ.update(old_env)


json.dump({name: run(case) for name, case in CASES.items()}, sys.stdout, indent=1, ensure_ascii=True)
sys.stdout.write("\n")
