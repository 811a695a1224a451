# check.py — the start of every `check DESCRIPTION PYTHON` of the command-line
# test scripts (lib/check.sh runs it, then the script's $CHECK_HELPERS, then
# the PYTHON). Arguments: the work folder, the PYTHON, then the script's
# CHECK_ARGS. What the PYTHON sees:
#   d            the JSON of $WORK/out (None when it is not JSON)
#   out, err     the text of $WORK/out and $WORK/err
#   args         the script's CHECK_ARGS
#   text(name), load(name)  a saved output as text, as JSON
#   rows(path)   a CSV file (by default in the work folder) as dicts
#   near(a, b)   equal up to rounding;  unit(x) a number in 0..1
#   ranked(list) the common invariants of a ranked list (see below)
import csv, json, math, os, sys

work, code, args = sys.argv[1], sys.argv[2], sys.argv[3:]


def text(name):
    with open(os.path.join(work, name), encoding="utf-8") as f:
        return f.read()


def load(name):
    return json.loads(text(name))


def rows(path):
    with open(os.path.join(work, path), newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def near(a, b, eps=1e-9):
    return abs(a - b) <= eps * max(1.0, abs(b))


def unit(x):
    return isinstance(x, (int, float)) and 0.0 <= x <= 1.0


def ranked(items, key="similarity"):
    """ranks 1..n, values in 0..1 and non-increasing"""
    assert [t["rank"] for t in items] == list(range(1, len(items) + 1)), "ranks are not 1..n"
    sims = [t[key] for t in items]
    assert all(unit(s) for s in sims), "a %s outside 0..1: %r" % (key, sims)
    assert all(a >= b for a, b in zip(sims, sims[1:])), "%s not non-increasing: %r" % (key, sims)


out = text("out")
err = text("err") if os.path.exists(os.path.join(work, "err")) else ""
try:
    d = json.loads(out)
except ValueError:
    d = None
