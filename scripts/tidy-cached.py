#!/usr/bin/env python3
"""Runs clang-tidy on the units whose input changed since they last passed.

Usage: scripts/tidy-cached.py BUILD_DIR MANIFEST LOG UNIT...

clang-tidy's verdict on a unit depends only on what it reads: the unit after
preprocessing, the flags, .clang-tidy and clang-tidy itself. MANIFEST lists
a SHA-256 of all four for each unit that passed; a unit whose key is listed
passed on exactly this input before and is skipped. The rest are checked in
parallel; when all pass, MANIFEST is rewritten with the key of every UNIT, so
that committing it with a change spares the next run the work.

The preprocessed text keeps comments (-C), because NOLINT comments and a few
checks read them, and has the checkout's path taken out, so a key does not
depend on where the repository was cloned. Exits 1 when a unit has findings
(the output of every checked unit is in LOG), 2 on a usage or tool error.
"""

import concurrent.futures
import hashlib
import json
import os
import shlex
import subprocess
import sys

CLANG_TIDY = "clang-tidy-16"


def main(argv):
    if len(argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    build_dir, manifest_path, log_path, units = argv[0], argv[1], argv[2], argv[3:]
    root = os.getcwd()

    with open(os.path.join(build_dir, "compile_commands.json"), encoding="utf-8") as f:
        commands = {os.path.realpath(os.path.join(e["directory"], e["file"])): e
                    for e in json.load(f)}

    base = hashlib.sha256()
    base.update(subprocess.run([CLANG_TIDY, "--version"], check=True,
                               capture_output=True).stdout)
    with open(os.path.join(root, ".clang-tidy"), "rb") as f:
        base.update(f.read())

    def key(unit):
        entry = commands.get(os.path.realpath(unit))
        if entry is None:
            raise RuntimeError(f"{unit} is not in {build_dir}/compile_commands.json")
        args = entry.get("arguments") or shlex.split(entry["command"])
        # The flags without the object file, which names the build folder.
        flags = []
        skip = False
        for arg in args[1:]:
            if skip:
                skip = False
            elif arg == "-o":
                skip = True
            elif arg != "-c":
                flags.append(arg)
        preprocess = [args[0]] + flags + ["-E", "-C", "-o", "-"]
        text = subprocess.run(preprocess, cwd=entry["directory"], check=True,
                              capture_output=True).stdout
        digest = base.copy()
        prefix = (root + "/").encode()
        digest.update(" ".join(flags).encode().replace(prefix, b""))
        digest.update(b"\0")
        digest.update(text.replace(prefix, b""))
        return digest.hexdigest()

    clean = set()
    if os.path.exists(manifest_path):
        with open(manifest_path, encoding="utf-8") as f:
            clean = {line.strip() for line in f if line.strip() and not line.startswith("#")}

    jobs = os.cpu_count() or 2
    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        try:
            keys = dict(zip(units, pool.map(key, units)))
        except (RuntimeError, subprocess.CalledProcessError) as e:
            print(f"tidy-cached: cannot compute a unit's key: {e}", file=sys.stderr)
            return 2

    todo = [u for u in units if f"{keys[u]}  {u}" not in clean]
    print(f"clang-tidy: {len(units) - len(todo)} of {len(units)} units unchanged "
          f"since they passed; checking {len(todo)}", flush=True)

    def tidy(unit):
        result = subprocess.run([CLANG_TIDY, "-p", build_dir, "--quiet", unit],
                                capture_output=True, text=True)
        return unit, result.returncode, result.stdout + result.stderr

    failed = []
    with open(log_path, "w", encoding="utf-8") as log, \
            concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        for unit, status, output in pool.map(tidy, todo):
            log.write(f"== {unit} (exit {status})\n{output}\n")
            if status != 0:
                failed.append(unit)
    if failed:
        print("clang-tidy found problems in: " + " ".join(failed))
        return 1

    lines = sorted(f"{keys[u]}  {u}" for u in units)
    text = ("# Units clang-tidy passed, by the SHA-256 of their input; written by\n"
            "# scripts/tidy-cached.py (see DEVELOPERS.md). Commit it with your change.\n"
            + "\n".join(lines) + "\n")
    old = None
    if os.path.exists(manifest_path):
        with open(manifest_path, encoding="utf-8") as f:
            old = f.read()
    if text != old:
        os.makedirs(os.path.dirname(manifest_path) or ".", exist_ok=True)
        with open(manifest_path, "w", encoding="utf-8") as f:
            f.write(text)
        print(f"clang-tidy: updated {manifest_path}; commit it with your change")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
