"""Fault scenario: a 10,000-response XLSX export while a second client asks /health every 20 ms (issue 17, item 5).

The export is built off the event loop (openpyxl's write-only mode, in a thread): /health p99 must stay under 200 ms.
Runs once, on its own SQLite file (the runner's database is unused); `benchmarks/exports.py` prints more figures.

    python benchmarks/fault_scenarios/exports.py
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))

P99_LIMIT_MS = 200


def health_during_export(database_url: str | None = None) -> str:
    from benchmarks.exports import live

    line = live(ROOT)
    p99 = int(re.search(r"p99 (\d+) ms", line).group(1))
    assert "(-" not in line, f"the export failed: {line}"
    assert p99 < P99_LIMIT_MS, f"/health p99 {p99} ms ≥ {P99_LIMIT_MS} ms during the export: {line}"
    return f"export: {line}"


SCENARIOS = [("export: /health during a 10k-response XLSX export", health_during_export, ("sqlite",))]

if __name__ == "__main__":
    print(health_during_export())
