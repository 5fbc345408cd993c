#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Turn the benchmark's measurements into its report.

usage: report.py DIR

Reads DIR/results.tsv and DIR/complete.tsv (guest.sh) and DIR/machine.txt
(run.sh); writes DIR/results.md (machine, table of times and ratios, the
targets of the issue with pass/fail) and DIR/plot.dat (plot.gp's data),
and prints results.md.
"""
import os
import sys

STEPS = [("start", "process start"), ("restore", "restoreconfig"), ("save", "saveconfig"), ("ls", "ls"),
         ("create_so", "create ramdisk"), ("create_lun", "create LUN"),
         ("delete_lun", "delete LUN"), ("delete_so", "delete ramdisk"),
         ("clear", "clearconfig")]
ONE_SHOTS = ["ls", "create_so", "create_lun", "delete_lun", "delete_so"]
CREATE_DELETE = ["create_so", "create_lun", "delete_lun", "delete_so"]
CONTENDERS = ["floor", "ours", "fb"]
RSS_LIMIT_KIB = 32 * 1024
COMPLETE_LIMIT_MS = 20.0


class Result:
    def __init__(self, fields):
        self.contender = fields[1]
        self.status = fields[3]
        self.ok = self.status == "0"
        # Killed at the limit: the limit is a lower bound of its time. A
        # command not started (predicted past the limit) bounds nothing.
        self.dnf = self.status == "timeout"

        def num(s):
            return None if s == "-" else float(s)
        self.wall, self.user, self.sys, self.rss = (num(f) for f in fields[4:8])
        self.cpu = None if self.user is None else self.user + self.sys


def best(results):
    """The fastest finished run (noise on a shared host only adds), with
    the highest peak RSS of all runs; else the first that did not finish."""
    done = [r for r in results if r.ok]
    if not done:
        return results[0]
    r = min(done, key=lambda r: r.wall)
    r.rss = max(x.rss for x in done)
    r.runs = len(done)
    return r


def load(d):
    runs, checks = {}, {}
    with open(os.path.join(d, "results.tsv")) as f:
        for line in f:
            fields = line.rstrip("\n").split("\t")
            if len(fields) < 8:
                continue
            n, c, step = int(fields[0]), fields[1], fields[2]
            if step == "check":
                checks[(n, c)] = fields[3]
            else:
                runs.setdefault((n, c, step), []).append(Result(fields))
    res = {k: best(v) for k, v in runs.items()}
    comp = []
    path = os.path.join(d, "complete.tsv")
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                n, cands, first, median, wall, text = line.rstrip("\n").split("\t", 5)
                comp.append((int(n), int(cands), float(first), float(median), float(wall), text))
    return res, checks, comp


def limits_of(d):
    """Time limit per contender, from machine.txt's
    "time limit per command: 1200 s (targetcli-fb: 600 s)"."""
    lim = {}
    with open(os.path.join(d, "machine.txt")) as f:
        for line in f:
            if line.startswith("time limit per command:"):
                words = line.replace("(", " ").replace(")", " ").split()
                lim["floor"] = lim["ours"] = lim["fb"] = float(words[4])
                if "targetcli-fb:" in words:
                    lim["fb"] = float(words[words.index("targetcli-fb:") + 1])
    return lim


def cell(r, limit):
    if r is None:
        return "-"
    if r.ok:
        return "%.3f" % r.wall if r.wall < 10 else "%.1f" % r.wall
    if r.status == "timeout":
        return "DNF (>%d)" % limit[r.contender]
    if r.status == "skipped":
        return "DNF*"
    if r.status in ("gaveup", "handed", "blocked"):
        return "-"
    if r.status == "refused":
        return "fails*"
    if r.status.startswith("failed"):
        return "fails"
    return r.status


def wall_or_bound(r, limit):
    """(seconds, is_lower_bound) of a result; None when it says nothing."""
    if r is None:
        return None
    if r.ok:
        return r.wall, False
    if r.dnf:
        return limit[r.contender], True
    return None


def ratio(a, b, limit):
    """a / b as text, with '>' when a did not finish."""
    x, y = wall_or_bound(a, limit), wall_or_bound(b, limit)
    if x is None or y is None or y[1] or not y[0]:
        return "-", None
    v = x[0] / y[0]
    return ("%s%.1f" % (">" if x[1] else "", v) if v < 100 else "%s%.0f" % (">" if x[1] else "", v)), (v, x[1])


def table(res, sizes, limit):
    out = ["| command | N | floor s | ours s | targetcli-fb s | ours/floor | fb/ours "
           "| ours CPU s | ours peak RSS MiB |",
           "|---|--:|--:|--:|--:|--:|--:|--:|--:|"]
    for step, title in STEPS:
        for n in sizes:
            fl, ours, fb = (res.get((n, c, step)) for c in CONTENDERS)
            if fl is None and ours is None and fb is None:
                continue
            of = ratio(ours, fl, limit)[0]
            fo = ratio(fb, ours, limit)[0]
            cpu = "%.3f" % ours.cpu if ours is not None and ours.ok else "-"
            rss = "%.1f" % (ours.rss / 1024) if ours is not None and ours.ok else "-"
            out.append("| %s | %d | %s | %s | %s | %s | %s | %s | %s |" % (
                title, n, cell(fl, limit), cell(ours, limit), cell(fb, limit), of, fo, cpu, rss))
    return out


def verdict(ok):
    return "**PASS**" if ok else "**FAIL**"


def targets(res, sizes, comp, limit):
    out = []
    big = max(sizes)
    loaded = [n for n in sizes if n > 0]

    # 1. one-shot commands >= 100x faster than targetcli-fb, at every N
    worst, unmeasured = None, []
    for step in ONE_SHOTS:
        for n in sizes:
            fb, ours = res.get((n, "fb", step)), res.get((n, "ours", step))
            _, r = ratio(fb, ours, limit)
            if r is None:
                why = ""
                if fb is not None and fb.status.startswith("failed"):
                    why = " (targetcli-fb fails)"
                elif fb is not None and fb.status == "refused":
                    why = " (targetcli-fb failed at a smaller N)"
                elif fb is not None and fb.status == "blocked":
                    why = " (targetcli-fb: a step before it failed)"
                unmeasured.append("%s N=%d%s" % (step, n, why))
                continue
            if worst is None or r[0] < worst[0]:
                worst = (r[0], r[1], step, n)
    ok = worst is not None and worst[0] >= 100
    line = "1. One-shot commands (%s) at least 100x faster than targetcli-fb at every N: " % ", ".join(ONE_SHOTS)
    if worst is None:
        out.append(line + "not measured")
    else:
        out.append(line + "%s (lowest: %s%.0fx, %s at N=%d)" % (
            verdict(ok), ">" if worst[1] else "", worst[0], worst[2], worst[3]))
    if unmeasured:
        out.append("   - not measured: %s" % ", ".join(unmeasured))
    # What any program could reach: the floor's syscalls are the least a
    # command can do, so where targetcli-fb/floor < 100 the target is out
    # of reach on this machine, whatever the implementation.
    bound = []
    for step in ONE_SHOTS:
        for n in sizes:
            _, r = ratio(res.get((n, "fb", step)), res.get((n, "floor", step)), limit)
            if r is not None and not r[1] and r[0] < 100:
                bound.append("%s N=%d (%.0fx)" % (step, n, r[0]))
    if bound:
        out.append("   - below 100x even for the floor (targetcli-fb/floor): %s" % ", ".join(bound))

    # 2. create/delete with the largest N loaded <= 1.5x empty
    parts, ok = [], True
    for step in CREATE_DELETE:
        e, b = res.get((0, "ours", step)), res.get((big, "ours", step))
        txt, r = ratio(b, e, limit)
        if r is None:
            ok = False
            parts.append("%s: not measured" % step)
            continue
        ok = ok and not r[1] and r[0] <= 1.5
        # The floor's own ratio: what the kernel's growth alone costs.
        ftxt, _ = ratio(res.get((big, "floor", step)), res.get((0, "floor", step)), limit)
        parts.append("%s %sx (%s s vs %s s; floor %sx)" % (step, txt, cell(b, limit), cell(e, limit), ftxt))
    out.append("2. One-shot create/delete with N=%d loaded at most 1.5x the empty configuration: %s"
               % (big, verdict(ok)))
    out.extend("   - %s" % p for p in parts)

    # 3. restore within 1.5x the floor, save within 2x, at every N
    for step, lim in (("restore", 1.5), ("save", 2.0)):
        parts, ok = [], True
        for n in loaded:
            txt, r = ratio(res.get((n, "ours", step)), res.get((n, "floor", step)), limit)
            if r is None:
                ok = False
                parts.append("N=%d: not measured" % n)
                continue
            ok = ok and not r[1] and r[0] <= lim
            parts.append("N=%d: %sx" % (n, txt))
        out.append("3%s. %s within %.1fx the floor at every N: %s (%s)" % (
            "a" if step == "restore" else "b", dict(STEPS)[step], lim, verdict(ok), "; ".join(parts)))

    # 4. peak RSS under 32 MiB at the largest N
    rss = [(r.rss, step) for (n, c, step), r in res.items()
           if n == big and c == "ours" and r.rss is not None and r.ok]
    if rss:
        m = max(rss)
        out.append("4. Peak RSS under 32 MiB at N=%d: %s (max %.1f MiB, in %s)" % (
            big, verdict(m[0] < RSS_LIMIT_KIB), m[0] / 1024, m[1]))
    else:
        out.append("4. Peak RSS under 32 MiB at N=%d: not measured" % big)

    # 5. Tab completion among the largest N siblings under 20 ms of CPU
    unique = [c for c in comp if c[0] == big and c[1] == 1]
    if unique:
        m = max(unique, key=lambda c: c[2])
        out.append("5. Tab completion of a path among %d siblings under 20 ms CPU: %s "
                   "(slowest unique completion %.1f ms: `%s`)" % (
                       big, verdict(m[2] < COMPLETE_LIMIT_MS), m[2], m[5]))
    else:
        out.append("5. Tab completion among %d siblings: not measured" % big)
    return out


def completion_table(comp):
    out = ["| N | line (Tab at its end) | candidates | CPU ms, first | CPU ms, median of 5 | wall ms, first |",
           "|--:|---|--:|--:|--:|--:|"]
    for n, cands, first, median, wall, text in comp:
        out.append("| %d | `%s` | %d | %.1f | %.1f | %.1f |" % (n, text, cands, first, median, wall))
    return out


def plot_data(res, sizes, limit, path):
    with open(path, "w") as f:
        for step, title in STEPS:
            if step == "start":
                continue  # measured on the empty configuration only
            f.write("# %s\n" % title)
            for n in sizes:
                vals = []
                for c in CONTENDERS:
                    r = res.get((n, c, step))
                    vals.append("%.6f" % r.wall if r is not None and r.ok else "NaN")
                # The empty configuration goes at 1: no zero on a log scale.
                f.write("%d %s\n" % (max(n, 1), " ".join(vals)))
            f.write("\n\n")


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: report.py DIR")
    d = sys.argv[1]
    res, checks, comp = load(d)
    limit = limits_of(d)
    sizes = sorted({n for n, _, _ in res})
    if not sizes:
        sys.exit("report.py: no measurements in %s/results.tsv" % d)
    with open(os.path.join(d, "machine.txt")) as f:
        machine = [line.rstrip("\n") for line in f]
    md = ["# Benchmark: our targetcli, targetcli-fb and the configfs floor", ""]
    md += ["- %s" % m for m in machine]
    md += ["", "Produced by `tests/bench/run.sh`; see README.md in this directory for "
           "what each command does and how to read the table.", "",
           "## Times", "",
           "Wall seconds per command, the fastest of the runs made (up to 5 while a "
           "command takes under 10 s; one for targetcli-fb); peak RSS is the highest of "
           "them. DNF: killed at the time limit; DNF*: not started, since the command's "
           "time at the smaller sizes puts it past the limit; `-`: not run (for "
           "targetcli-fb's restore: it did not finish at a smaller size; its other "
           "commands then run on the configuration restored by the floor; see "
           "README.md); fails: the command exited with an error (see the logs), fails*: "
           "not run, since it failed at a smaller size. Ratios with `>` are lower bounds. N=0 is the configuration without "
           "storage objects and LUNs (the target, its TPG, 4 ACLs and the portal only): "
           "the \"empty\" baseline of the one-shot commands.", ""]
    md += table(res, sizes, limit)
    bad = ["%s N=%d" % (c, n) for (n, c), s in sorted(checks.items()) if s != "ok"]
    md += ["", "Restores checked against the file (N <= 100, by a save compared with it): %s."
           % ("all match" if checks and not bad else
              "none checked" if not checks else "MISMATCH in " + ", ".join(bad))]
    md += ["", "## Targets (issue 5)", ""] + targets(res, sizes, comp, limit)
    if comp:
        md += ["", "## Tab completion (ours, in-process, configuration loaded)", ""]
        md += completion_table(comp)
    md.append("")
    text = "\n".join(md)
    with open(os.path.join(d, "results.md"), "w") as f:
        f.write(text)
    plot_data(res, sizes, limit, os.path.join(d, "plot.dat"))
    print(text)


if __name__ == "__main__":
    main()
