"""Trained matching models stored as versioned JSON files in a directory, readable by the real-time scorer."""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from karvon.matching.batch import FEATURE_VERSION, TrainedModel
from karvon_match import BLOCKING_KEY_VERSION, SEARCH_KEY_VERSION, MatchWeights, TermFrequencies

MODEL_FORMAT = "karvon-match-model"
MODEL_FORMAT_VERSION = 1
# 20261128T090000Z-1a2b3c4d: sorts in creation order; the hash tells two models of one second apart.
_VERSION_RE = re.compile(r"^\d{8}T\d{6}Z-[0-9a-f]{8}$")


class UnableToLoadModel(Exception):
    """No such model, or a file that is not a model this code can use."""


@dataclass(frozen=True)
class StoredModel:
    """A model as stored: `settings` is a Splink settings dictionary that `MatchWeights.from_dict` reads."""

    version: str
    created_at: datetime
    settings: Mapping[str, Any]
    term_frequencies: Mapping[str, Any]
    training: Mapping[str, Any]
    feature_version: int
    path: Path

    def match_weights(self) -> MatchWeights:
        return MatchWeights.from_dict(self.settings)

    def frequencies(self) -> TermFrequencies | None:
        return (
            TermFrequencies.from_dict(self.term_frequencies) if self.term_frequencies.get("total") else None
        )

    def trained_model(self) -> TrainedModel:
        return TrainedModel(self.settings, self.term_frequencies, self.training, self.feature_version)


def _document(model: TrainedModel, created_at: datetime, version: str, note: str) -> dict[str, Any]:
    return {
        "format": MODEL_FORMAT,
        "format_version": MODEL_FORMAT_VERSION,
        "version": version,
        "created_at": created_at.astimezone(UTC).isoformat(),
        "note": note,
        "feature_version": model.feature_version,
        "karvon_match": {
            "search_key_version": SEARCH_KEY_VERSION,
            "blocking_key_version": BLOCKING_KEY_VERSION,
        },
        "training": dict(model.training),
        "splink_settings": dict(model.settings),
        "term_frequencies": dict(model.term_frequencies),
    }


def model_save(directory: Path, model: TrainedModel, *, now: datetime, note: str = "") -> StoredModel:
    """Write `model` as `<version>.json` in `directory` (created if needed); never overwrites a file."""
    # Checked before writing: a model the scorer cannot read must not become the latest version.
    MatchWeights.from_dict(model.settings)
    directory.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(json.dumps(dict(model.settings), sort_keys=True).encode()).hexdigest()[:8]
    version = f"{now.astimezone(UTC):%Y%m%dT%H%M%SZ}-{digest}"
    path = directory / f"{version}.json"
    text = json.dumps(_document(model, now, version, note), ensure_ascii=False, indent=1)
    # Written aside and renamed, so a reader never sees half a model; O_EXCL refuses to overwrite.
    partial = directory / f".{version}.json.partial"
    with os.fdopen(
        os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644), "w", encoding="utf-8"
    ) as file:
        file.write(text)
    if path.exists():
        partial.unlink()
        raise FileExistsError(path)
    partial.rename(path)
    return model_load(directory, version)


def model_versions(directory: Path) -> list[str]:
    """Stored versions, oldest first."""
    if not directory.is_dir():
        return []
    return sorted(p.stem for p in directory.glob("*.json") if _VERSION_RE.match(p.stem))


def model_load(directory: Path, version: str = "latest") -> StoredModel:
    """The model of `version` ("latest" for the newest) from `directory`."""
    if version == "latest":
        versions = model_versions(directory)
        if not versions:
            raise UnableToLoadModel(f"no model stored in {directory}")
        version = versions[-1]
    if not _VERSION_RE.match(version):
        raise UnableToLoadModel(f"{version!r} is not a model version (like 20261128T090000Z-1a2b3c4d)")
    return model_read(directory / f"{version}.json")


def model_read(path: Path) -> StoredModel:
    """A stored model from its file; checks the format and that this code's features match it."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UnableToLoadModel(f"no model file {path}") from None
    except (OSError, ValueError) as error:
        raise UnableToLoadModel(f"{path} cannot be read as JSON: {error}") from None
    if not isinstance(data, dict) or data.get("format") != MODEL_FORMAT:
        raise UnableToLoadModel(f"{path} is not a {MODEL_FORMAT} file")
    if data.get("format_version") != MODEL_FORMAT_VERSION:
        raise UnableToLoadModel(
            f"{path} has format version {data.get('format_version')}, not {MODEL_FORMAT_VERSION}"
        )
    if data.get("feature_version") != FEATURE_VERSION:
        raise UnableToLoadModel(
            f"{path} was trained on feature version {data.get('feature_version')}; "
            "this code computes version "
            f"{FEATURE_VERSION}: train a new model"
        )
    try:
        MatchWeights.from_dict(data["splink_settings"])
    except (KeyError, TypeError, ValueError) as error:
        raise UnableToLoadModel(f"{path}: the weights cannot be read ({error!r})") from None
    return StoredModel(
        version=str(data["version"]),
        created_at=datetime.fromisoformat(data["created_at"]),
        settings=data["splink_settings"],
        term_frequencies=data.get("term_frequencies") or {},
        training=data.get("training") or {},
        feature_version=int(data["feature_version"]),
        path=path,
    )
