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


TYPES: dict[str, tuple[type, ...]] = {"db": (str,), "bib": (str,), "max_size_mb": (int, float)}


def load(directory: Path | None = None, environ: dict[str, str] | None = None) -> Settings:
    """Settings for a run started in ``directory`` (the current one by default)."""
    directory = directory or Path.cwd()
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    origin: dict[str, str] = {}
    for path, section in ((directory / "pyproject.toml", ("tool", "biblio")), (directory / "biblio.toml", ())):
        if path.is_file():
            table = _table(path, section)
            values.update(table)
            origin.update(dict.fromkeys(table, str(path)))
    if environ.get("BIBLIO_DB"):
        values["db"] = environ["BIBLIO_DB"]
        origin["db"] = "BIBLIO_DB"
    for key, value in values.items():
        if key not in TYPES:
            raise BiblioError(f"unknown setting {key!r} (known: {', '.join(TYPES)})", origin[key])
        if not isinstance(value, TYPES[key]) or isinstance(value, bool):
            raise BiblioError(f"setting {key!r} must be a {TYPES[key][0].__name__}, not {value!r}", origin[key])
    if "max_size_mb" in values and values["max_size_mb"] <= 0:
        raise BiblioError("setting 'max_size_mb' must be positive", origin["max_size_mb"])
    return Settings(**values)
