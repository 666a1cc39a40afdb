"""Builds each service into a reproducible zip of bytecode for Lambda's Python: its package,
shop_common and its dependencies.

    python -m scripts.build [SERVICE ...] [--target lambda|local] [--out DIR] [--force]

`lambda` (the default) writes dist/<service>.zip for python3.13 on arm64; `local` writes
.build/local/<service>.zip in the same layout for the local cloud, with this machine's wheels
for the interpreter the local cloud runs the functions on (a python3.13 when there is one:
scripts/lambda_python.py). Dependencies come from the service's fully pinned requirements.txt,
installed with --no-deps so that what the Lambda runtime provides (boto3, botocore) stays out.

Bytecode. Lambda cannot write to /var/task, so a zip without bytecode makes every cold start
compile every module it imports: the product function's init took 3,990 M instructions so,
1,784 M with bytecode (python -m scripts.bench.instructions; the baseline's is 1,150 M). The
zip carries the bytecode, compiled by a python3.13 (`make build` fails, saying how to get one,
without it: a .pyc of another minor version is refused by Lambda's interpreter; there is no
fallback, such as Pyodide's 3.13 under Node, to keep the toolchain one Python). The layout:
- Our code (the service package, shop_common): the .py and, in __pycache__, an unchecked
  hash-based .pyc of it with docstrings, asserts and column positions. The loader takes it
  without reading the source or comparing mtimes (PEP 552), and tracebacks show our source
  lines with their ^^^^ and the path they run from (/var/task/basket/handler.py on Lambda).
- Dependencies: a sourceless .pyc in place of each .py (module.pyc; SourcelessFileLoader
  loads it), compiled without module and function docstrings and without column positions.
  Tracebacks through them show file and line, never a source line. Class docstrings stay
  (pydantic reads them into schemas; a dataclass without one computes its signature at
  import), and so do asserts (optimize=0: -OO would also drop them). Code objects name
  /var/task/<path> as their file, where Lambda runs them.
- Dependency subpackages that no function imports, at init or on any route (LEFT_AS_SOURCE,
  measured with python -m scripts.bench.imports), stay .py: smaller than their bytecode, and
  compiled on import should a later version import them.
Sizes for the basket, the largest (its dependencies alone, arm64, zipped): as .py 3.57 MB;
sourceless .pyc 4.55 MB; with module and function docstrings stripped 4.31 MB (all docstrings
4.20 MB); without column positions 4.14 MB, and both 3.90 MB. The whole zip in this layout is
3.80 MB, product's and order's 3.68 MB (LEFT_AS_SOURCE saves about 0.2 MB: 3.94 MB against
3.78 MB when first measured, and 36 KB more since Powertools' event handler joined it; .py plus
__pycache__ would be 5.7-5.9 MB). The budget is 4 MB.

The bytecode format is the same for every 3.13.x: importlib.util.MAGIC_NUMBER is 3571 from
3.13b1 on (CPython's table of magic numbers, Lib/importlib/_bootstrap_external.py in 3.13 and
Include/internal/pycore_magic_number.h since 3.14, lists 3.13b1 3571 and then 3.14a1 3600;
maintenance releases that changed it, such as 3.5.2's 3351, are listed there too). A zip
compiled by 3.13.0 therefore loads on the 3.13.x Lambda runs; tests/build checks the magic of
every .pyc against the runtime Terraform declares. Patch releases may still compile some code
differently (3.13.4 changed generator expressions), all of it valid for any 3.13: the bytes
depend on the compiling patch release, which is part of a zip's inputs (pyenv's newest 3.13
is taken first).

Reproducible: entries are sorted and have fixed timestamps and modes, pip's records are left
out, the .pyc are hash-based and compiled in a fixed order by one process with a fixed hash
seed: the same sources and interpreter give the same bytes, so `terraform plan` shows no
change when nothing changed. A zip whose inputs did not change is not rebuilt.
"""

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from scripts import bytecode_layout, lambda_python
from scripts.bytecode_layout import COMPILER, LEFT_AS_SOURCE, with_bytecode
from scripts.lambda_python import Interpreter

ROOT = Path(__file__).resolve().parent.parent
LAYOUT = Path(bytecode_layout.__file__)
SERVICES_DIR = ROOT / "services"
SHARED_PACKAGE = SERVICES_DIR / "common" / "shop_common"


@dataclass(frozen=True)
class Target:
    out_dir: Path
    pip_options: tuple[str, ...]  # which wheels
    interpreter: Callable[[], Interpreter]  # whose bytecode


TARGETS = {
    "lambda": Target(
        ROOT / "dist",
        (
            "--platform=manylinux2014_aarch64",
            "--implementation=cp",
            "--python-version=3.13",
            "--abi=cp313",
            "--only-binary=:all:",
        ),
        lambda_python.require,
    ),
    "local": Target(ROOT / ".build" / "local", (), lambda_python.local),
}
# Bump when the layout of the zip changes, so every zip is rebuilt.
BUILD_FORMAT = "3"
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
    settings = TARGETS[target]
    interpreter = settings.interpreter()
    requirements = SERVICES_DIR / service / "requirements.txt"
    digest.update(f"{BUILD_FORMAT}\0{target}\0{settings.pip_options}\0{LEFT_AS_SOURCE}\0".encode())
    digest.update(f"{interpreter.version}\0".encode() + COMPILER.read_bytes() + LAYOUT.read_bytes())
    digest.update(requirements.read_bytes())
    for name, path in sorted(source_files(service).items()):
        digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def install_dependencies(service: str, target: str, destination: Path) -> None:
    settings = TARGETS[target]
    # A local build takes the wheels of the interpreter that will run it (pip --python).
    python = () if settings.pip_options else ("--python", str(settings.interpreter().path))
    command = [
        sys.executable,
        "-m",
        "pip",
        *python,
        "install",
        "-qq",
        "--disable-pip-version-check",
        "--no-deps",
        "--no-compile",
        "--target",
        str(destination),
        "-r",
        str(SERVICES_DIR / service / "requirements.txt"),
        *settings.pip_options,
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
    """Raises lambda_python.NoLambdaPython for the lambda target without a python3.13."""
    out_dir = out_dir or TARGETS[target].out_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    destination = out_dir / f"{service}.zip"
    stamp = out_dir / f"{service}.zip.inputs"
    expected = fingerprint(service, target)
    if not force and destination.exists() and stamp.exists() and stamp.read_text() == expected:
        return BuildResult(service, destination, destination.stat().st_size, _file_digest(destination), False)
    with tempfile.TemporaryDirectory(prefix=f"build-{service}-") as directory:
        scratch = Path(directory)
        install_dependencies(service, target, scratch / "installed")
        files = with_bytecode(
            _tree(scratch / "installed"), source_files(service), TARGETS[target].interpreter(), scratch
        )
        write_zip(files, destination)
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
    try:
        interpreter = TARGETS[args.target].interpreter()
    except lambda_python.NoLambdaPython as error:
        print(f"make build: {error}", file=sys.stderr)
        return 1
    print(f"Bytecode and wheels for {interpreter}")
    for service in args.services or services():
        started = time.monotonic()
        result = build(service, args.target, args.out, args.force)
        state = f"built in {time.monotonic() - started:.1f}s" if result.rebuilt else "unchanged"
        shown = result.path.relative_to(ROOT) if result.path.is_relative_to(ROOT) else result.path
        print(f"{shown}  {result.size:>9,} bytes  sha256 {result.sha256}  ({state})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
