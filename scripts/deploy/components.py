"""The components a team deploys, and where each one's root, values, state and package are.

One Terraform root per component (terraform/live/<component>/), with one values file and one
backend file per environment (envs/<env>.tfvars, envs/<env>.backend.hcl); the services'
roots read the Lambda package that `make build` writes (dist/<service>.zip).
"""

from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LIVE = ROOT / "terraform" / "live"
DIST = ROOT / "dist"
SERVICES = ("product", "basket", "order")  # components with a Lambda package of their own


class UnknownTarget(ValueError):
    pass


@dataclass(frozen=True)
class Target:
    component: str
    environment: str

    @property
    def root(self) -> Path:
        return LIVE / self.component

    @property
    def values(self) -> Path:
        return self.root / "envs" / f"{self.environment}.tfvars"

    @property
    def backend(self) -> Path:
        return self.root / "envs" / f"{self.environment}.backend.hcl"

    @property
    def package(self) -> Path | None:
        return DIST / f"{self.component}.zip" if self.component in SERVICES else None

    @property
    def plan_file(self) -> Path:
        return DIST / "plans" / f"{self.environment}-{self.component}.tfplan"


def components() -> list[str]:
    return sorted(p.parent.name for p in LIVE.glob("*/main.tf"))


def environments(component: str) -> list[str]:
    return sorted(p.name.removesuffix(".tfvars") for p in (LIVE / component / "envs").glob("*.tfvars"))


def target(component: str, environment: str) -> Target:
    """The target, if that component has a root with values and a backend for that environment."""
    if component not in components():
        raise UnknownTarget(f"COMPONENT={component!r} is not one of {', '.join(components())}")
    found = Target(component, environment)
    if environment not in environments(component):
        known = ", ".join(environments(component))
        raise UnknownTarget(f"ENV={environment!r}: {component} has values for {known} (envs/<env>.tfvars)")
    if not found.backend.exists():
        raise UnknownTarget(
            f"{found.backend.relative_to(ROOT)} is missing: where is the state of {environment}?"
        )
    return found
