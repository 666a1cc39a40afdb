"""Every file a component's pipeline reads, derived from the sources, for its path filters.

A component's pipeline (.github/workflows/<component>.yml) must run when anything it builds, plans
or tests changes, and tests/test_workflows.py fails when its filters miss one of these:
- its Terraform root, and every module it uses, found by following each `source = "../..."`,
  with the files they read (`file(...)`, `fileset(...)` under the repository);
- for a service, what `make build` puts in its package (scripts/build.py's source_files and its
  requirements.txt) and the build itself;
- the tests `make test-component` runs for it, and the delivery (Makefile, pyproject.toml, its
  workflows, scripts/deploy, the smoke suite);
- for every Python file above, the repository's modules it imports, transitively, and the files
  and directories it names by path (`ROOT / "contracts" / "events"`).
"""

import ast
import re
import sys
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LIVE = ROOT / "terraform" / "live"
# Where `import x` finds a repository module (pyproject's pythonpath, as the tests see it).
IMPORT_ROOTS = [ROOT, ROOT / "services/common", *sorted(p.parent for p in (ROOT / "services").glob("*/requirements.txt"))]
_SOURCE = re.compile(r'^\s*source\s*=\s*"(\.{1,2}/[^"]+)"', re.MULTILINE)
_PATH_ROOT = re.compile(r'\$\{path\.(?:root|module)\}/([^"$)]+)')
DELIVERY = ["Makefile", "pyproject.toml", ".github/workflows/deliver.yml", ".github/workflows/apply.yml"]
DELIVERY_CODE = ["scripts/deploy/__main__.py", "scripts/smoke/__main__.py"]


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
    from scripts import build

    return set(build.source_files(service).values()) | {ROOT / "services" / service / "requirements.txt"} | python_closure(
        [ROOT / "scripts/build.py"]
    )


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


def _named_paths(tree: ast.AST) -> Iterable[Path]:
    """Repository paths a module names: a string literal, or literals joined by `/`."""
    for node in ast.walk(tree):
        parts: list[str] = []
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            side: ast.AST = node
            while isinstance(side, ast.BinOp) and isinstance(side.op, ast.Div):
                if isinstance(side.right, ast.Constant) and isinstance(side.right.value, str):
                    parts.insert(0, side.right.value)
                side = side.left
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and "/" in node.value:
            parts = [node.value]
        if parts and all(parts):
            candidate = ROOT.joinpath(*parts)
            if len(candidate.relative_to(ROOT).parts) > 1 and candidate.exists() and candidate != ROOT:
                yield candidate


def python_closure(files: Iterable[Path]) -> set[Path]:
    """The files, the repository's modules they import (and their packages' __init__), and the
    files they name by path, transitively."""
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
                pending.extend(p for p in module.parents if (p / "__init__.py").is_file() and p.is_relative_to(ROOT))
        for named in _named_paths(tree):
            pending.extend(sorted(_files(named)))
    return {p if p.name != "__init__.py" or p.exists() else p for p in found}


def test_inputs(component: str) -> set[Path]:
    """What `make test-component COMPONENT=component` runs (scripts/deploy/selection.py)."""
    from scripts.deploy import selection

    return python_closure(selection.test_files(component))


def component_inputs(component: str) -> set[Path]:
    found = terraform_inputs(component) | test_inputs(component)
    from scripts.deploy.components import SERVICES

    if component in SERVICES:
        found |= package_inputs(component)
    found |= {ROOT / name for name in DELIVERY} | {ROOT / f".github/workflows/{component}.yml"}
    found |= python_closure(ROOT / name for name in DELIVERY_CODE if (ROOT / name).exists())
    return {p.resolve() for p in found if p.exists()}


def relative(paths: Iterable[Path]) -> list[str]:
    return sorted(p.relative_to(ROOT).as_posix() for p in paths)


if __name__ == "__main__":
    for name in sys.argv[1:]:
        print("\n".join(relative(component_inputs(name))))
