"""The functions' packages on this machine: each service's local build (scripts/build.py,
`local` target), extracted to a directory that execution environments run from."""

import shutil
import zipfile
from pathlib import Path


def extract(package: Path, directory: Path) -> Path:
    shutil.rmtree(directory, ignore_errors=True)
    with zipfile.ZipFile(package) as archive:
        archive.extractall(directory)
    return directory
