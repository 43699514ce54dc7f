"""TOML 1.0 conformance of pkgauth's TOML reader against toml-test.

Runs every case listed in toml-test's tests/files-toml-1.0.0 through the
toml2json tool (the toml-test decoder interface):
- valid cases must be accepted, and the tagged JSON must equal the expected
  .json, compared by value the way toml-test's json.go does (floats as
  numbers, NaN sign ignored, date-times as instants);
- invalid cases must be rejected: exit status 1 and a "file:line:col: ..."
  message on stderr (a crash or a sanitizer report is not a rejection).

The counts are written through pytest's terminal reporter so they show in
ctest's output whether or not pytest captures output.
"""

import calendar
import contextlib
import json
import math
import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import shared_path

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("PKGAUTH_SHARED_DIR", REPO.parent / "shared"))
SUITE = SHARED / "testdata" / "toml-test" / "tests"
BIN = Path(os.environ.get("PKGAUTH_BIN_DIR", REPO / "build" / "bin"))
TOOL = BIN / "toml2json"
LIST = SUITE / "files-toml-1.0.0"

ERROR_LINE = re.compile(rb"^<stdin>:\d+:\d+: \S")
SANITIZER = re.compile(rb"Sanitizer|runtime error:")


def run_tool(toml_bytes):
    return subprocess.run([str(TOOL)], input=toml_bytes, capture_output=True,
                          timeout=20)


# ------------------------------------------------------------ comparison

DATETIME = re.compile(r"^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)"
                      r"(?:\.(\d+))?(Z|[+-]\d\d:\d\d)?$")
TIME = re.compile(r"^(\d\d):(\d\d):(\d\d)(?:\.(\d+))?$")


def fraction(digits):
    return Decimal("0." + digits).normalize() if digits else Decimal(0)


def datetime_key(kind, text):
    """A comparable form: instants for offset date-times, fields otherwise."""
    text = text.replace(" ", "T").replace("t", "T").replace("z", "Z")
    if kind == "date-local":
        return text
    if kind == "time-local":
        m = TIME.match(text)
        if not m:
            raise ValueError(f"bad time-local {text!r}")
        return tuple(int(x) for x in m.groups()[:3]) + (fraction(m[4]),)
    m = DATETIME.match(text)
    if not m or (kind == "datetime") != (m[8] is not None):
        raise ValueError(f"bad {kind} {text!r}")
    fields = tuple(int(x) for x in m.groups()[:6])
    if kind == "datetime-local":
        return fields + (fraction(m[7]),)
    offset = 0
    if m[8] != "Z":
        sign = -1 if m[8][0] == "-" else 1
        offset = sign * (int(m[8][1:3]) * 3600 + int(m[8][4:6]) * 60)
    return (calendar.timegm(fields) - offset, fraction(m[7]))


def scalar_equal(kind, expected, actual):
    if kind in ("string", "integer"):
        return expected == actual
    if kind == "bool":
        return expected.lower() == actual.lower()
    if kind == "float":
        e, a = float(expected), float(actual)
        return (math.isnan(e) and math.isnan(a)) or e == a
    return datetime_key(kind, expected) == datetime_key(kind, actual)


def is_tagged(v):
    return (isinstance(v, dict) and set(v) == {"type", "value"}
            and isinstance(v["type"], str))


def diff(expected, actual, path="$"):
    """None when equal, else a description of the first difference."""
    if is_tagged(expected) and expected["type"] == "array":
        expected = expected["value"]  # the old encoding of arrays
    if is_tagged(expected):
        if not is_tagged(actual):
            return f"{path}: expected a {expected['type']}, got {actual!r}"
        if expected["type"] != actual["type"]:
            return f"{path}: type {actual['type']} != {expected['type']}"
        try:
            same = scalar_equal(expected["type"], expected["value"],
                                actual["value"])
        except ValueError as e:
            return f"{path}: {e}"
        return None if same else (
            f"{path}: {actual['value']!r} != {expected['value']!r}")
    if isinstance(expected, dict):
        if not isinstance(actual, dict) or is_tagged(actual):
            return f"{path}: expected a table, got {actual!r}"
        if set(expected) != set(actual):
            return (f"{path}: keys {sorted(actual)} != {sorted(expected)}")
        for k in expected:
            d = diff(expected[k], actual[k], f"{path}.{k}")
            if d:
                return d
        return None
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return f"{path}: expected an array of {len(expected)}"
        for i, (e, a) in enumerate(zip(expected, actual)):
            d = diff(e, a, f"{path}[{i}]")
            if d:
                return d
        return None
    return f"{path}: unexpected expected-value {expected!r}"


# ----------------------------------------------------------------- cases

def check_valid(name):
    toml = (SUITE / name).read_bytes()
    expected = json.loads((SUITE / name).with_suffix(".json").read_bytes())
    r = run_tool(toml)
    if r.returncode != 0 or SANITIZER.search(r.stderr):
        return f"rejected (exit {r.returncode}): {r.stderr.decode(errors='replace').strip()}"
    try:
        actual = json.loads(r.stdout)
    except ValueError as e:
        return f"output is not JSON: {e}"
    return diff(expected, actual)


def check_invalid(name):
    r = run_tool((SUITE / name).read_bytes())
    if r.returncode == 0:
        return "accepted"
    if r.returncode != 1 or SANITIZER.search(r.stderr):
        return f"crashed (exit {r.returncode}): {r.stderr[-300:]!r}"
    if not ERROR_LINE.match(r.stderr):
        return f"message not 'file:line:col: ...': {r.stderr[:200]!r}"
    return None


@pytest.fixture(scope="module")
def results(request):
    shared_path("testdata", "toml-test", "tests")  # skips when absent
    if not os.access(TOOL, os.X_OK):
        pytest.fail(f"{TOOL} not built")
    names = [line.strip() for line in LIST.read_text().splitlines()]
    out = {}
    for kind, check in (("valid", check_valid), ("invalid", check_invalid)):
        cases = [n for n in names
                 if n.startswith(kind + "/") and n.endswith(".toml")]
        failures = [(n, msg) for n in cases if (msg := check(n))]
        out[kind] = (len(cases), failures)
    (nv, fv), (ni, fi) = out["valid"], out["invalid"]
    show(request, f"toml-test 1.0: {nv - len(fv)}/{nv} valid, "
         f"{ni - len(fi)}/{ni} invalid")
    return out


def show(request, line):
    """Writes a line past pytest's output capture (which also holds fd 2)."""
    plugins = request.config.pluginmanager
    capture = plugins.get_plugin("capturemanager")
    terminal = plugins.get_plugin("terminalreporter")
    with (capture.global_and_fixture_disabled() if capture
          else contextlib.nullcontext()):
        if terminal:
            terminal.write_line("\n" + line)
        else:
            print(line, file=sys.__stderr__, flush=True)


def report(kind, results):
    total, failures = results[kind]
    assert total > 0, f"no {kind} cases found in {LIST}"
    lines = [f"  {n}: {msg}" for n, msg in failures[:40]]
    assert not failures, (
        f"toml-test 1.0 {kind}: {total - len(failures)}/{total} passed;"
        f" {len(failures)} failed:\n" + "\n".join(lines))


def test_valid_cases(results):
    report("valid", results)


def test_invalid_cases(results):
    report("invalid", results)
