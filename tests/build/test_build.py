"""The Lambda zips: reproducible, complete, and holding the handlers that Terraform names."""

import hashlib
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from scripts import build

ROOT = build.ROOT


@pytest.fixture(scope="module")
def two_clean_builds(tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    """Every service built twice from scratch, into two directories."""
    first, second = tmp_path_factory.mktemp("first"), tmp_path_factory.mktemp("second")
    return {
        service: (
            build.build(service, out_dir=first, force=True).path,
            build.build(service, out_dir=second, force=True).path,
        )
        for service in build.services()
    }


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_two_clean_builds_are_byte_identical(two_clean_builds):
    for service, (first, second) in two_clean_builds.items():
        assert digest(first) == digest(second), service


def test_entries_are_sorted_with_fixed_dates_and_modes_and_no_caches(two_clean_builds):
    for first, _ in two_clean_builds.values():
        with zipfile.ZipFile(first) as archive:
            infos = archive.infolist()
        names = [i.filename for i in infos]
        assert names == sorted(names)
        assert {i.date_time for i in infos} == {build.FIXED_DATE}
        assert {i.external_attr >> 16 for i in infos} == {0o100644}
        assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc") or n.startswith("bin/")]
        assert not [n for n in names if n.endswith(".dist-info/RECORD")]


def test_runtime_provided_packages_are_left_out(two_clean_builds):
    for first, _ in two_clean_builds.values():
        with zipfile.ZipFile(first) as archive:
            tops = {name.split("/")[0] for name in archive.namelist()}
        assert not tops & {"boto3", "botocore", "s3transfer", "jmespath", "dateutil", "urllib3"}
        assert {"shop_common", "aws_lambda_powertools", "pydantic", "pydantic_core"} <= tops


def test_native_code_is_for_lambda_arm64_python_3_13(two_clean_builds):
    for first, _ in two_clean_builds.values():
        with zipfile.ZipFile(first) as archive:
            native = [n for n in archive.namelist() if n.endswith(".so")]
        assert native and all("cpython-313-aarch64-linux-gnu" in n for n in native), native


def terraform_handlers() -> dict[str, str]:
    """handler = "pkg.module.function" of every Lambda function in the Terraform modules."""
    handlers = {}
    for path in (ROOT / "terraform" / "modules").rglob("*.tf"):
        for handler in re.findall(r'handler\s*=\s*"([\w.]+)"', path.read_text()):
            handlers[handler] = str(path.relative_to(ROOT))
    return handlers


def test_each_zip_holds_the_handler_terraform_names(two_clean_builds):
    handlers = terraform_handlers()
    assert len(handlers) == 6, handlers  # 3 APIs, the product publisher, 2 consumers
    for handler in handlers:
        package, module, function = (
            handler.rsplit(".", 2)[0].split(".")[0],
            handler.rsplit(".", 2)[1],
            handler.rsplit(".", 1)[1],
        )
        first, _ = two_clean_builds[package]
        with zipfile.ZipFile(first) as archive:
            source = archive.read(f"{package}/{module}.py").decode()
        assert f"def {function}(" in source, handler


def test_an_unchanged_service_is_not_rebuilt_and_a_change_is(tmp_path, monkeypatch):
    out = tmp_path / "dist"
    assert build.build("product", out_dir=out).rebuilt
    assert not build.build("product", out_dir=out).rebuilt
    package = tmp_path / "services"
    shutil.copytree(build.SERVICES_DIR, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(build, "SERVICES_DIR", package)
    monkeypatch.setattr(build, "SHARED_PACKAGE", package / "common" / "shop_common")
    assert not build.build("product", out_dir=out).rebuilt
    (package / "product" / "product" / "catalogue.py").write_text("# changed\n", encoding="utf-8")
    assert build.build("product", out_dir=out).rebuilt


def test_files_no_function_reads_are_left_out(two_clean_builds):
    for first, _ in two_clean_builds.values():
        with zipfile.ZipFile(first) as archive:
            names = archive.namelist()
        assert not [n for n in names if n.endswith((".pyi", ".c", "/py.typed")) or "-stubs/" in n]
        assert not set(names) & build.UNUSED_FILES


def test_the_basket_validates_email_addresses_without_dnspython(tmp_path):
    """dnspython is left out of the basket zip: EmailStr must work without it."""
    from scripts.localcloud.cloud import ensure_runtime, extract

    package = extract(build.build("basket", "local").path, tmp_path / "basket")
    assert not (package / "dns").exists()
    check = (
        "from pydantic import TypeAdapter, EmailStr, ValidationError\n"
        "emails = TypeAdapter(EmailStr)\n"
        "assert emails.validate_python('a.b@example.com') == 'a.b@example.com'\n"
        "try:\n    emails.validate_python('a@b@example.com')\nexcept ValidationError:\n    print('ok')\n"
    )
    result = subprocess.run(
        [sys.executable, "-S", "-c", check],
        env={"PYTHONPATH": f"{package}{os.pathsep}{ensure_runtime()}"},
        capture_output=True,
        text=True,
    )
    assert result.stdout.strip() == "ok", result.stderr
