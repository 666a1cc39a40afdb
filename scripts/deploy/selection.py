"""What `make test-component COMPONENT=...` runs: one component's tests, as its pipeline runs them.

A service's own unit and contract tests and the shared code's (tests/<service>, tests/common,
the OpenAPI documents), and for every component its Terraform (every root planned for every
environment, every module's `terraform test`, the policies as Terraform renders them), the event
contracts' compatibility with their released versions, and the delivery code. The whole system
over HTTP (tests/e2e), the fault matrix and the local cloud's own tests run in `make test` on every
change to main; the pipeline's smoke test runs the end-to-end path against the deployed stage.

    python -m scripts.deploy.selection COMPONENT    # prints the pytest arguments
"""

import sys
from pathlib import Path

from scripts.deploy.components import SERVICES, components

ROOT = Path(__file__).resolve().parents[2]
TESTS = ROOT / "tests"
EVERY_COMPONENT = ["tests/terraform", "tests/test_contract_compatibility.py", "tests/deploy"]
SERVICE = ["tests/common", "tests/test_openapi.py"]


def test_paths(component: str) -> list[str]:
    if component not in components():
        raise SystemExit(f"COMPONENT={component!r} is not one of {', '.join(components())}")
    own = [f"tests/{component}", *SERVICE] if component in SERVICES else []
    return [*own, *EVERY_COMPONENT]


def test_files(component: str) -> list[Path]:
    """Every file pytest reads for these tests: the test modules, their conftest and __init__
    files up to tests/, and the non-Python files beside them (Terraform harnesses)."""
    found: set[Path] = {TESTS / "__init__.py", TESTS / "conftest.py"}
    for name in test_paths(component):
        path = ROOT / name
        found |= (
            {p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts}
            if path.is_dir()
            else {path}
        )
        found |= {p / "conftest.py" for p in path.parents if p.is_relative_to(TESTS)} | {
            p / "__init__.py" for p in path.parents if p.is_relative_to(TESTS)
        }
    return sorted(p for p in found if p.exists())


if __name__ == "__main__":
    print(" ".join(test_paths(sys.argv[1])))
