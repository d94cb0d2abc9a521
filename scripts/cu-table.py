#!/usr/bin/env python3
"""Rewrites the compute-unit table in a Markdown file from target/reports/cu.json (written by
`./target/debug/cu-report`), with the targets that tests/src/bin/cu_report.rs enforces.

    python3 scripts/cu-table.py docs/BENCHMARKS.md
"""
import json
import re
import sys
from pathlib import Path

repo = Path(__file__).resolve().parent.parent
doc = Path(sys.argv[1] if len(sys.argv) > 1 else repo / "docs/BENCHMARKS.md")
figures = json.loads((repo / "target/reports/cu.json").read_text())
targets = dict(
    (name, int(value.replace("_", "")))
    for name, value in re.findall(
        r'\("(\w+)", ([\d_]+)\)', (repo / "tests/src/bin/cu_report.rs").read_text()
    )
)
rows = ["| instruction | CU | target |", "|---|---:|---:|"]
for name in sorted(figures):
    target = f"≤ {targets[name]:,}" if name in targets else ""
    rows.append(f"| `{name}` | {figures[name]:,} | {target} |")
text = doc.read_text()
table = re.compile(r"^\| instruction \| CU \| target \|\n(?:\|.*\|\n)+", re.M)
if not table.search(text):
    sys.exit(f"{doc}: no '| instruction | CU | target |' table to rewrite")
doc.write_text(table.sub("\n".join(rows) + "\n", text, count=1))
print(f"{doc}: {len(figures)} rows")
