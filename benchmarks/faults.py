"""Fault injection: runs every scenario of benchmarks/fault_scenarios/ against PostgreSQL and the SQLite default.

Each scenario (see fault_scenarios/__init__.py) runs in a process of its own on a fresh, migrated database: on
PostgreSQL a scratch database the runner creates on the given server and drops afterwards (the server itself is
never restarted; scenarios that need restarts start a private cluster), on SQLite a file in a temporary folder.
Prints one line per fault and database, then the total time; exit code 1 when any scenario failed.

    python benchmarks/faults.py [--only NAME] [--postgres postgresql://postgres@127.0.0.1:5432/postgres]
                                [--skip-postgres] [--skip-sqlite] [--timeout 240]
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
for path in (str(ROOT), str(HERE)):
    if path not in sys.path:
        sys.path.insert(0, path)


KINDS = ("postgresql", "sqlite")


def scenarios() -> list[tuple[str, str, object, tuple[str, ...]]]:
    """(module, name, function, database kinds) of every scenario, modules in alphabetical order.

    An entry of SCENARIOS may name the kinds it needs as a third element, e.g. ("name", function, ("postgresql",)):
    a scenario that brings its own database (a private cluster) runs once instead of once per kind.
    """
    found = []
    for file in sorted((HERE / "fault_scenarios").glob("*.py")):
        if file.stem.startswith("_"):
            continue
        module = importlib.import_module(f"fault_scenarios.{file.stem}")
        for entry in getattr(module, "SCENARIOS", []):
            name, function, *kinds = entry
            found.append((file.stem, name, function, tuple(kinds[0]) if kinds else KINDS))
    return found


def run_one(module: str, name: str, database_url: str) -> None:
    """In the child process: migrate, run one scenario, print its line as JSON on the last stdout line."""
    os.environ["DATABASE_URL"] = database_url
    from participation.db import run_migrations

    asyncio.run(run_migrations())
    function = {n: f for m, n, f, _k in scenarios() if m == module}[name]
    line = function(database_url)
    print("\n" + json.dumps({"line": str(line)}))


async def _admin(url: str, statement: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(url)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


def run(module: str, name: str, kind: str, admin_url: str, timeout: float) -> tuple[bool, str, float]:
    """Run a scenario on a fresh database of `kind` in a child process: (passed, line, seconds)."""
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="faults-") as folder:
        if kind == "sqlite":
            url, drop = f"sqlite:///{Path(folder) / 'faults.sqlite3'}", None
        else:
            drop = f"faults_{module}_{os.getpid()}".lower()
            asyncio.run(_admin(admin_url, f'DROP DATABASE IF EXISTS "{drop}" WITH (FORCE)'))
            asyncio.run(_admin(admin_url, f'CREATE DATABASE "{drop}"'))
            url = f"{admin_url.rpartition('/')[0]}/{drop}"
        env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": os.pathsep.join([str(ROOT), str(HERE)])}
        env.setdefault("PASSWORD_HASH_PROFILE", "CHEAPEST")
        env.setdefault("SECRET_KEY", "fault-injection-secret-key-0123456789abcdef")
        try:
            child = subprocess.run(
                [sys.executable, __file__, "--run-one", module, name, url], cwd=ROOT, env=env,
                capture_output=True, text=True, timeout=timeout,
            )
        except subprocess.TimeoutExpired:
            return False, f"did not finish within {timeout:.0f} s", time.perf_counter() - started
        finally:
            if drop:
                asyncio.run(_admin(admin_url, f'DROP DATABASE IF EXISTS "{drop}" WITH (FORCE)'))
    seconds = time.perf_counter() - started
    last = child.stdout.strip().splitlines()[-1:] or [""]
    if child.returncode == 0 and last[0].startswith("{"):
        return True, json.loads(last[0])["line"], seconds
    reason = [line for line in child.stderr.strip().splitlines() if line.strip()][-1:] or [f"exit {child.returncode}"]
    return False, reason[0], seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", help="run the scenarios whose name or module contains this text")
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/postgres",
                        help="a database on the server to make scratch databases on (never restarted)")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--timeout", type=float, default=240.0, help="seconds one scenario may take")
    parser.add_argument("--run-one", nargs=3, metavar=("MODULE", "NAME", "URL"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run_one:
        run_one(*args.run_one)
        return 0

    chosen = [(m, n, k) for m, n, _f, k in scenarios()
              if not args.only or args.only.lower() in n.lower() or args.only.lower() in m.lower()]
    if not chosen:
        print(f"No scenario matches {args.only!r}.", file=sys.stderr)
        return 2
    wanted = {k for k, skip in (("postgresql", args.skip_postgres), ("sqlite", args.skip_sqlite)) if not skip}
    started = time.perf_counter()
    runs = failed = 0
    for module, name, kinds in chosen:
        for kind in (k for k in kinds if k in wanted):
            passed, line, seconds = run(module, name, kind, args.postgres, args.timeout)
            runs += 1
            failed += not passed
            mark = "FAIL" if not passed else "skip" if "skipped" in line.lower() else "ok  "
            print(f"{mark} {kind:<10} {name:<44} {line} [{seconds:.1f} s]", flush=True)
    total = time.perf_counter() - started
    print(f"{runs} fault runs, {failed} failed, {total:.0f} s in all")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
