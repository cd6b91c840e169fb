"""Shared fixtures: every test gets its own store and working directory."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXAMPLES = ROOT / "examples" / "corpus"


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run each test in a temp dir with its store there (never the user's biblio.db)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BIBLIO_DB", str(tmp_path / "test.db"))
    monkeypatch.delenv("NO_COLOR", raising=False)
    return tmp_path


def seed(name_prefix: str) -> Path:
    """The seed document whose name starts with ``name_prefix``; skip when absent."""
    matches = sorted(SEEDS.glob(f"{name_prefix}*")) if SEEDS.is_dir() else []
    if not matches:
        pytest.skip(f"seed {name_prefix}* not present in {SEEDS}")
    return matches[0]
