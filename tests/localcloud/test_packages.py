"""The functions' local packages: what a first run says before it installs, and the package a
hot reload makes from the changed sources and the same dependencies."""

from scripts import build
from scripts.localcloud.functions import packages


def test_a_first_run_says_what_it_installs_before_it_does(monkeypatch):
    said = []
    monkeypatch.setattr(packages, "is_installed", lambda _: False)
    packages.prepare([], packages.RUNTIME_DIR, said.append)
    assert said and said[0].startswith("Installing the Lambda runtime's own packages (awslambdaric, boto3)")
    assert "about a minute" in said[0]
    said.clear()
    monkeypatch.setattr(packages, "is_installed", lambda _: True)
    packages.prepare([], packages.RUNTIME_DIR, said.append)
    assert said == []


def test_a_reload_package_has_the_sources_as_they_are_and_the_same_dependencies(tmp_path):
    built = packages.extract(build.build("product", "local").path, tmp_path / "built")
    reloaded = packages.with_new_sources("product", built, tmp_path / "reloaded")

    def files(root):
        return {
            p.relative_to(root).as_posix()
            for p in root.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts
        }

    assert files(reloaded) == files(built)
    for name, source in build.source_files("product").items():
        assert (reloaded / name).read_bytes() == source.read_bytes()
    dependency = next(p for p in built.rglob("*.py") if p.relative_to(built).parts[0] == "pydantic")
    assert (reloaded / dependency.relative_to(built)).stat().st_ino == dependency.stat().st_ino  # linked
