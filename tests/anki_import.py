"""Import .apkg files into a real, fresh Anki collection the way the desktop app does."""

from __future__ import annotations

from pathlib import Path

from anki.collection import Collection, ImportAnkiPackageRequest

TEMPLATE_ERROR = "templates/errors.html"


def open_collection(directory: Path) -> Collection:
    directory.mkdir(parents=True, exist_ok=True)
    return Collection(str(directory / "collection.anki2"))


def import_package(col: Collection, path: Path):  # -> anki.import_export_pb2.ImportResponse.Log
    """Import with the options the desktop import screen starts with."""
    options = col._backend.get_import_anki_package_presets()
    response = col.import_anki_package(ImportAnkiPackageRequest(package_path=str(path), options=options))
    col.models._clear_cache()  # the Python-side note type cache is stale after an import
    return response.log
