#!/usr/bin/env python3
"""Prints chosen signals of a VCD, one line per clock step (debug aid).
usage: vcdtab.py trace.vcd SIGNAL... (suffix match on the hierarchical name)"""
import sys


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: vcdtab.py trace.vcd SIGNAL...")
    path, names = sys.argv[1], sys.argv[2:]
    ids, scope, vals, rows, t = {}, [], {}, [], None
    try:
        lines = open(path).readlines()
    except OSError as e:
        sys.exit("vcdtab.py: %s: %s" % (path, e.strerror))
    for line in lines:
        w = line.split()
        if not w:
            continue
        if w[0] == "$scope":
            scope.append(w[2])
        elif w[0] == "$upscope":
            scope.pop()
        elif w[0] == "$var":
            full = ".".join(scope + [w[4]])
            for n in names:
                if full.endswith(n) and n not in ids.values():
                    ids.setdefault(w[3], n)
        elif w[0].startswith("#"):
            if t is not None:
                rows.append((t, dict(vals)))
            t = int(w[0][1:])
        elif w[0][0] in "01xz" and len(w) == 1:
            if w[0][1:] in ids:
                vals[ids[w[0][1:]]] = w[0][0]
        elif w[0][0] == "b" and len(w) == 2:
            if w[1] in ids:
                v = w[0][1:]
                vals[ids[w[1]]] = hex(int(v, 2)) if set(v) <= {"0", "1"} else v
    rows.append((t, dict(vals)))
    print("t " + " ".join(names))
    last = None
    for t, v in rows:
        line = " ".join(str(v.get(n, "?")) for n in names)
        if line != last:
            print(t, line)
        last = line


main()
