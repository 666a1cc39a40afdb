"""Every file a component's package and roots read, derived from the sources, for its path filters.

A component's pipeline (.github/workflows/<component>.yml) must run when anything it builds or
deploys changes, and tests/test_workflows.py fails when its filters miss one of these:
- its Terraform root, and every module it uses, found by following each `source = "../..."`,
  with the files they read (`file(...)`, `fileset(...)` under the repository);
- for a service, what `make build` puts in its package (scripts/build.py's source_files and its
  requirements.txt), the build itself, and the event contracts its code names;
- its own tests (tests/<component>), and the delivery: Makefile, pyproject.toml, its workflows,
  scripts/deploy;
- for every Python file above, the repository's modules it imports, transitively.
Everything else (the local cloud, the end-to-end suite) is tested by `make test` on every change.
"""

import ast
import re
import sys
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LIVE = ROOT / "terraform" / "live"
# Where `import x` finds a repository module (pyproject's pythonpath, as the tests see it).
IMPORT_ROOTS = [
    ROOT,
    ROOT / "services/common",
    *sorted(p.parent for p in (ROOT / "services").glob("*/requirements.txt")),
]
_SOURCE = re.compile(r'^\s*source\s*=\s*"(\.{1,2}/[^"]+)"', re.MULTILINE)
_PATH_ROOT = re.compile(r'\$\{path\.(?:root|module)\}/([^"$)]+)')
DELIVERY = ["Makefile", "pyproject.toml", ".github/workflows/deliver.yml", ".github/workflows/apply.yml"]


def _files(path: Path) -> set[Path]:
    if path.is_file():
        return {path}
    return {p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts}


def terraform_inputs(component: str) -> set[Path]:
    """The root's files, the modules it uses (transitively) and the files they read."""
    found: set[Path] = set()
    pending, seen = [LIVE / component], set()
    while pending:
        directory = pending.pop().resolve()
        if directory in seen:
            continue
        seen.add(directory)
        found |= _files(directory)
        for configuration in directory.glob("*.tf"):
            text = configuration.read_text()
            pending.extend(directory / source for source in _SOURCE.findall(text))
            for reference in _PATH_ROOT.findall(text):
                target = (directory / reference).resolve()
                if target.is_relative_to(ROOT / "dist"):
                    continue  # the package: built from the inputs below
                found |= _files(target) if target.exists() else set()
    return found


def package_inputs(service: str) -> set[Path]:
    """What `make build` puts in the service's zip, and the build: its modules, and the compiler it
    runs under Lambda's Python rather than imports (build.COMPILER)."""
    from scripts import build

    sources = set(build.source_files(service).values()) | {ROOT / "services" / service / "requirements.txt"}
    return sources | {build.COMPILER} | python_closure([ROOT / "scripts/build.py"])


def _module_file(name: str) -> Path | None:
    parts = name.split(".")
    for base in IMPORT_ROOTS:
        for candidate in (base.joinpath(*parts).with_suffix(".py"), base.joinpath(*parts, "__init__.py")):
            if candidate.is_file():
                return candidate
    return None


def _imported(tree: ast.AST, path: Path) -> Iterable[str]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the file's own package
                package = path.parent
                for _ in range(node.level - 1):
                    package = package.parent
                prefix = ".".join(package.relative_to(ROOT).parts)
                base = f"{prefix}.{base}" if base else prefix
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


def python_closure(files: Iterable[Path]) -> set[Path]:
    """The files and the repository's modules they import (and their packages' __init__),
    transitively."""
    found: set[Path] = set()
    pending = list(files)
    while pending:
        path = pending.pop()
        if path in found:
            continue
        found.add(path)
        if path.suffix != ".py":
            continue
        tree = ast.parse(path.read_text(), str(path))
        for name in _imported(tree, path):
            module = _module_file(name)
            if module is not None:
                pending.append(module)
                pending.extend(
                    p / "__init__.py"
                    for p in module.parents
                    if p.is_relative_to(ROOT) and (p / "__init__.py").is_file()
                )
    return found


def contract_inputs(service: str) -> set[Path]:
    """The event contracts whose detail-type the service's package names (it produces or consumes
    them), with their released versions (scripts/contracts.py)."""
    package = "\n".join(p.read_text() for p in (ROOT / "services" / service).rglob("*.py"))
    found = set()
    for contract in sorted((ROOT / "contracts" / "events").glob("*.json")):
        if re.search(rf"\b{re.escape(contract.stem)}\b", package):
            found |= {contract, contract.parent / "released" / contract.name}
    return found


def own_tests(component: str) -> set[Path]:
    directory = ROOT / "tests" / component
    return _files(directory) if directory.is_dir() else set()


def component_inputs(component: str) -> set[Path]:
    """What the component's package and roots read, its own tests, and its delivery."""
    from scripts.deploy.components import SERVICES

    found = terraform_inputs(component) | own_tests(component)
    if component in SERVICES:
        found |= package_inputs(component) | contract_inputs(component)
    found |= {ROOT / name for name in DELIVERY} | {ROOT / f".github/workflows/{component}.yml"}
    found |= python_closure([ROOT / "scripts/deploy/__main__.py"])
    return {p.resolve() for p in found if p.exists()}


def relative(paths: Iterable[Path]) -> list[str]:
    return sorted(p.relative_to(ROOT).as_posix() for p in paths)


if __name__ == "__main__":
    for name in sys.argv[1:]:
        print("\n".join(relative(component_inputs(name))))
