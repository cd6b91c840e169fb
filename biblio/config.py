"""Settings: command-line options > environment > ``biblio.toml`` > ``[tool.biblio]``.

Keys (all optional): ``db`` (store path, default ``biblio.db``), ``bib`` (the
curated bibliography to read and extend), ``max_size_mb`` (largest document
read, default 50). ``BIBLIO_DB`` in the environment overrides ``db``.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from biblio.errors import BiblioError


@dataclass(frozen=True)
class Settings:
    db: str = "biblio.db"
    bib: str | None = None
    max_size_mb: float = 50.0

    @property
    def max_bytes(self) -> int:
        return int(self.max_size_mb * 1024 * 1024)


def _table(path: Path, section: tuple[str, ...]) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise BiblioError(f"cannot read settings: {exc}", str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise BiblioError(f"invalid TOML: {exc}", str(path)) from None
    for name in section:
        data = data.get(name, {})
        if not isinstance(data, dict):
            return {}
    return data


def load(directory: Path | None = None, environ: dict[str, str] | None = None) -> Settings:
    """Settings for a run started in ``directory`` (the current one by default)."""
    directory = directory or Path.cwd()
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    pyproject = directory / "pyproject.toml"
    if pyproject.is_file():
        values.update(_table(pyproject, ("tool", "biblio")))
    own = directory / "biblio.toml"
    if own.is_file():
        values.update(_table(own, ()))
    if environ.get("BIBLIO_DB"):
        values["db"] = environ["BIBLIO_DB"]
    known = {k: values[k] for k in ("db", "bib", "max_size_mb") if k in values}
    unknown = sorted(set(values) - set(known))
    if unknown:
        where = str(own) if own.is_file() else str(pyproject)
        raise BiblioError(f"unknown setting(s): {', '.join(unknown)}", where)
    return Settings(**known)
