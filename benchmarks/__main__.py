"""`python -m benchmarks [NAME ...]`: run every benchmarks/bench_*.py (or the named ones).

Each module has `main(argv: list[str]) -> None` that prints its figures.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def available() -> list[str]:
    here = Path(__file__).parent
    return sorted(m.name[len("bench_") :] for m in pkgutil.iter_modules([str(here)]) if m.name.startswith("bench_"))


def main(argv: list[str]) -> int:
    names = [a for a in argv if not a.startswith("-")] or available()
    unknown = [n for n in names if n not in available()]
    if unknown:
        print(
            f"unknown benchmark(s): {', '.join(unknown)}; available: {', '.join(available()) or 'none'}",
            file=sys.stderr,
        )
        return 2
    for name in names:
        print(f"== {name}")
        importlib.import_module(f"benchmarks.bench_{name}").main([a for a in argv if a.startswith("-")])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
