#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Check that a restore did what the file says: compare the file gen.py
wrote with a save of the configuration the restore left.

usage: check_save.py GENERATED SAVED

The save may hold what the file leaves out: the ACLs' "authentication"
attribute (see gen.py), and may list objects in another order. Everything else must be equal.
Prints the first differences; exit status 1 when there are any.
"""
import json
import sys

EXTRA_ACL_ATTRS = {"authentication"}


def strip(cfg):
    """Drop the known extras and put lists in one order (a save lists
    objects in directory order, the file in index order)."""
    cfg.get("storage_objects", []).sort(key=lambda so: (so.get("plugin"), so.get("name")))
    for t in cfg.get("targets", []):
        for tpg in t.get("tpgs", []):
            tpg.get("luns", []).sort(key=lambda lun: lun.get("index"))
            tpg.get("node_acls", []).sort(key=lambda acl: acl.get("node_wwn"))
            for acl in tpg.get("node_acls", []):
                for k in EXTRA_ACL_ATTRS:
                    acl.get("attributes", {}).pop(k, None)
                acl.get("mapped_luns", []).sort(key=lambda m: m.get("index"))
    return cfg


def diff(a, b, path, out):
    if len(out) >= 10:
        return
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a:
                out.append("%s.%s: only in the save" % (path, k))
            elif k not in b:
                out.append("%s.%s: missing from the save" % (path, k))
            else:
                diff(a[k], b[k], "%s.%s" % (path, k), out)
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            out.append("%s: %d items in the file, %d in the save" % (path, len(a), len(b)))
        for i, (x, y) in enumerate(zip(a, b)):
            diff(x, y, "%s[%d]" % (path, i), out)
    elif a != b:
        out.append("%s: %r in the file, %r in the save" % (path, a, b))


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: check_save.py GENERATED SAVED")
    with open(sys.argv[1]) as f:
        gen = strip(json.load(f))
    with open(sys.argv[2]) as f:
        saved = strip(json.load(f))
    out = []
    diff(gen, saved, "$", out)
    for line in out:
        print(line)
    sys.exit(1 if out else 0)


if __name__ == "__main__":
    main()
