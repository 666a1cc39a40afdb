"""Builds each service into a reproducible zip: its package, shop_common and its dependencies.

    python -m scripts.build [SERVICE ...] [--target lambda|local] [--out DIR] [--force]

`lambda` (the default) writes dist/<service>.zip for python3.13 on arm64; `local` writes
.build/local/<service>.zip with dependencies for this interpreter, for the local cloud.
Dependencies come from the service's fully pinned requirements.txt, installed with --no-deps
so that what the Lambda runtime provides (boto3, botocore) stays out. Entries are sorted and
have fixed timestamps and modes, and caches are left out: the same sources give the same bytes,
so `terraform plan` shows no change when nothing changed. A zip whose inputs did not change
is not rebuilt.
"""

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVICES_DIR = ROOT / "services"
SHARED_PACKAGE = SERVICES_DIR / "common" / "shop_common"
TARGETS = {
    "lambda": (
        ROOT / "dist",
        [
            "--platform=manylinux2014_aarch64",
            "--implementation=cp",
            "--python-version=3.13",
            "--abi=cp313",
            "--only-binary=:all:",
        ],
    ),
    "local": (ROOT / ".build" / "local", []),
}
# Bump when the layout of the zip changes, so every zip is rebuilt.
BUILD_FORMAT = "2"
FIXED_DATE = (1980, 1, 1, 0, 0, 0)
FILE_MODE = 0o644
EXCLUDED_DIRS = {"__pycache__"}
# Caches, and what only type checkers and compilers read (stubs, C sources).
EXCLUDED_SUFFIXES = (".pyc", ".pyo", ".pyi", ".c", ".h")
EXCLUDED_NAMES = {"py.typed"}
# Swagger UI's assets, read only by Powertools' enable_swagger(), which no function calls.
UNUSED_FILES = {
    "aws_lambda_powertools/event_handler/openapi/swagger_ui/swagger-ui-bundle.min.js",
    "aws_lambda_powertools/event_handler/openapi/swagger_ui/swagger-ui.min.css",
}
# pip's install records: they hold paths and hashes of the machine that installed them.
EXCLUDED_METADATA = {"RECORD", "INSTALLER", "REQUESTED", "direct_url.json"}


@dataclass(frozen=True)
class BuildResult:
    service: str
    path: Path
    size: int
    sha256: str
    rebuilt: bool


def services() -> list[str]:
    return sorted(p.parent.name for p in SERVICES_DIR.glob("*/requirements.txt"))


def _wanted(relative: Path) -> bool:
    directories = relative.parts[:-1]
    if any(part in EXCLUDED_DIRS or part.endswith("-stubs") for part in directories):
        return False
    if relative.as_posix() in UNUSED_FILES or relative.name in EXCLUDED_NAMES:
        return False
    if relative.parts[0] == "bin":  # console scripts of the dependencies, with this machine's shebang
        return False
    if relative.suffix in EXCLUDED_SUFFIXES:
        return False
    return not (relative.parent.name.endswith(".dist-info") and relative.name in EXCLUDED_METADATA)


def _tree(base: Path, prefix: str = "") -> dict[str, Path]:
    """Files under `base` by their name in the zip."""
    files = {}
    for path in base.rglob("*"):
        relative = path.relative_to(base)
        if path.is_file() and _wanted(relative):
            files[f"{prefix}{relative.as_posix()}"] = path
    return files


def source_files(service: str) -> dict[str, Path]:
    """The service's own package and the shared package, by their name in the zip."""
    package = SERVICES_DIR / service / service
    return {**_tree(package, f"{service}/"), **_tree(SHARED_PACKAGE, "shop_common/")}


def fingerprint(service: str, target: str) -> str:
    digest = hashlib.sha256()
    requirements = SERVICES_DIR / service / "requirements.txt"
    digest.update(f"{BUILD_FORMAT}\0{target}\0{TARGETS[target][1]}\0".encode())
    if target == "local":
        digest.update(sys.version.encode())
    digest.update(requirements.read_bytes())
    for name, path in sorted(source_files(service).items()):
        digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def install_dependencies(service: str, target: str, destination: Path) -> None:
    command = [
        sys.executable,
        "-m",
        "pip",
        "install",
        "-qq",
        "--disable-pip-version-check",
        "--no-deps",
        "--no-compile",
        "--target",
        str(destination),
        "-r",
        str(SERVICES_DIR / service / "requirements.txt"),
        *TARGETS[target][1],
    ]
    subprocess.run(command, check=True, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})


def write_zip(files: dict[str, Path], destination: Path) -> None:
    """Writes the files in name order, each with the same date and mode, to `destination`."""
    partial = destination.with_suffix(".zip.partial")
    with zipfile.ZipFile(partial, "w") as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=FIXED_DATE)
            info.create_system = 3  # unix, so external_attr holds the mode
            info.external_attr = (0o100000 | FILE_MODE) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, files[name].read_bytes(), compresslevel=9)
    partial.replace(destination)


def _file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build(
    service: str, target: str = "lambda", out_dir: Path | None = None, force: bool = False
) -> BuildResult:
    out_dir = out_dir or TARGETS[target][0]
    out_dir.mkdir(parents=True, exist_ok=True)
    destination = out_dir / f"{service}.zip"
    stamp = out_dir / f"{service}.zip.inputs"
    expected = fingerprint(service, target)
    if not force and destination.exists() and stamp.exists() and stamp.read_text() == expected:
        return BuildResult(service, destination, destination.stat().st_size, _file_digest(destination), False)
    with tempfile.TemporaryDirectory(prefix=f"build-{service}-") as scratch:
        dependencies = Path(scratch)
        install_dependencies(service, target, dependencies)
        write_zip({**_tree(dependencies), **source_files(service)}, destination)
    stamp.write_text(expected)
    return BuildResult(service, destination, destination.stat().st_size, _file_digest(destination), True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("services", nargs="*", metavar="SERVICE", help=f"one of {', '.join(services())}")
    parser.add_argument("--target", choices=sorted(TARGETS), default="lambda")
    parser.add_argument("--out", type=Path, help="directory for the zips (default: dist/ or .build/local/)")
    parser.add_argument("--force", action="store_true", help="rebuild even when nothing changed")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.services) - set(services()))
    if unknown:
        parser.error(f"unknown service(s): {', '.join(unknown)}")
    for service in args.services or services():
        started = time.monotonic()
        result = build(service, args.target, args.out, args.force)
        state = f"built in {time.monotonic() - started:.1f}s" if result.rebuilt else "unchanged"
        shown = result.path.relative_to(ROOT) if result.path.is_relative_to(ROOT) else result.path
        print(f"{shown}  {result.size:>9,} bytes  sha256 {result.sha256}  ({state})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
