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

from scripts import build, bytecode_layout, lambda_python

ROOT = build.ROOT


@pytest.fixture(scope="module")
def two_clean_builds(lambda_python_313, tmp_path_factory) -> dict[str, tuple[Path, Path]]:
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


def test_entries_are_sorted_with_fixed_dates_and_modes(two_clean_builds):
    for first, _ in two_clean_builds.values():
        with zipfile.ZipFile(first) as archive:
            infos = archive.infolist()
        names = [i.filename for i in infos]
        assert names == sorted(names)
        assert {i.date_time for i in infos} == {build.FIXED_DATE}
        assert {i.external_attr >> 16 for i in infos} == {0o100644}
        assert not [n for n in names if n.startswith("bin/") or n.endswith((".dist-info/RECORD", ".pyo"))]


def own_package(name: str) -> bool:
    return name.split("/")[0] in {*build.services(), "shop_common"}


def test_our_modules_keep_their_source_with_its_bytecode_in_pycache(two_clean_builds):
    for service, (first, _) in two_clean_builds.items():
        with zipfile.ZipFile(first) as archive:
            names = set(archive.namelist())
        sources = {n for n in names if own_package(n) and n.endswith(".py")}
        assert f"{service}/handler.py" in sources and "shop_common/http.py" in sources
        expected = {re.sub(r"([^/]+)\.py$", r"__pycache__/\1.cpython-313.pyc", n) for n in sources}
        assert {n for n in names if own_package(n) and n.endswith(".pyc")} == expected


def test_dependencies_are_bytecode_without_their_source_but_for_what_no_function_imports(two_clean_builds):
    for first, _ in two_clean_builds.values():
        with zipfile.ZipFile(first) as archive:
            names = [n for n in archive.namelist() if not own_package(n)]
        assert "pydantic/main.pyc" in names and "aws_lambda_powertools/__init__.pyc" in names
        assert not [n for n in names if "__pycache__" in n]
        sources = [n for n in names if n.endswith(".py")]
        assert sources and all(n.startswith(bytecode_layout.LEFT_AS_SOURCE) for n in sources)
        assert not [n for n in names if n.endswith(".pyc") and n.startswith(bytecode_layout.LEFT_AS_SOURCE)]


def terraform_runtime() -> str:
    text = (ROOT / "terraform" / "modules" / "lambda-function" / "main.tf").read_text()
    return re.search(r'^\s*runtime\s*=\s*"([^"]+)"', text, re.MULTILINE).group(1)


# The magic number starting every .pyc, by runtime. CPython changes it only with the bytecode
# format, and it is 3571 for the whole 3.13 series: CPython's table of magic numbers (in
# Lib/importlib/_bootstrap_external.py up to 3.13, Include/internal/pycore_magic_number.h
# since 3.14, e.g. python/cpython at 00e7800e4c3e9a6aa3dfc5c3d3a7ca649186d080) lists
# "Python 3.13b1 3571 (Fix miscompilation of private names in generic classes)" and next
# "Python 3.14a1 3600"; the maintenance releases that ever changed it are listed there too
# ("Python 3.5.2 3351"), and none of 3.13's is. Pyodide 0.29's CPython 3.13.2 also says 3571.
MAGIC = {"python3.13": 3571}


def test_every_pyc_is_bytecode_of_the_runtime_terraform_declares(two_clean_builds, lambda_python_313):
    runtime = terraform_runtime()
    assert runtime == lambda_python.RUNTIME, "scripts/lambda_python.py must look for Terraform's runtime"
    magic = MAGIC[runtime].to_bytes(2, "little") + b"\r\n"
    found = subprocess.run(
        [
            str(lambda_python_313.path),
            "-c",
            "import importlib.util, sys; sys.stdout.buffer.write(importlib.util.MAGIC_NUMBER)",
        ],
        capture_output=True,
        check=True,
    ).stdout
    assert found == magic, f"{lambda_python_313} writes another bytecode format than {runtime}'s"
    for first, _ in two_clean_builds.values():
        with zipfile.ZipFile(first) as archive:
            headers = {n: archive.read(n)[:8] for n in archive.namelist() if n.endswith(".pyc")}
        assert headers
        # Hash-based and unchecked (PEP 552 flags 0b01): the loader never looks at the source.
        assert {header for header in headers.values()} == {magic + b"\x01\x00\x00\x00"}


def test_native_code_is_for_lambda_arm64_python_3_13(two_clean_builds):
    for first, _ in two_clean_builds.values():
        with zipfile.ZipFile(first) as archive:
            native = [n for n in archive.namelist() if n.endswith(".so")]
        assert native and all("cpython-313-aarch64-linux-gnu" in n for n in native), native


def test_runtime_provided_packages_are_left_out(two_clean_builds):
    for first, _ in two_clean_builds.values():
        with zipfile.ZipFile(first) as archive:
            tops = {name.split("/")[0] for name in archive.namelist()}
        assert not tops & {"boto3", "botocore", "s3transfer", "jmespath", "dateutil", "urllib3"}
        assert {"shop_common", "aws_lambda_powertools", "pydantic", "pydantic_core"} <= tops


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
        module, function = handler.rsplit(".", 1)
        first, _ = two_clean_builds[module.split(".")[0]]
        with zipfile.ZipFile(first) as archive:
            source = archive.read(f"{module.replace('.', '/')}.py").decode()
        assert f"def {function}(" in source, handler


def test_the_local_build_carries_the_lambda_zips_bytecode(two_clean_builds):
    """The local cloud runs the Lambda zip's bytecode: every .pyc both zips hold is the same
    (they differ in native wheels only), so what the local tests load is what Lambda loads."""
    for service, (first, _) in two_clean_builds.items():
        local = build.build(service, "local").path
        with zipfile.ZipFile(first) as lambda_zip, zipfile.ZipFile(local) as local_zip:
            lambda_pyc = {n for n in lambda_zip.namelist() if n.endswith(".pyc")}
            local_pyc = {n for n in local_zip.namelist() if n.endswith(".pyc")}
            assert lambda_pyc == local_pyc, service
            different = [n for n in lambda_pyc if lambda_zip.read(n) != local_zip.read(n)]
        assert not different, different


def test_an_unchanged_service_is_not_rebuilt_and_a_change_is(tmp_path, monkeypatch):
    out = tmp_path / "dist"
    assert build.build("product", "local", out_dir=out).rebuilt
    assert not build.build("product", "local", out_dir=out).rebuilt
    package = tmp_path / "services"
    shutil.copytree(build.SERVICES_DIR, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(build, "SERVICES_DIR", package)
    monkeypatch.setattr(build, "SHARED_PACKAGE", package / "common" / "shop_common")
    assert not build.build("product", "local", out_dir=out).rebuilt
    (package / "product" / "product" / "catalogue.py").write_text("# changed\n", encoding="utf-8")
    assert build.build("product", "local", out_dir=out).rebuilt


def test_files_no_function_reads_are_left_out(two_clean_builds):
    for first, _ in two_clean_builds.values():
        with zipfile.ZipFile(first) as archive:
            names = archive.namelist()
        assert not [n for n in names if n.endswith((".pyi", ".c", "/py.typed")) or "-stubs/" in n]
        assert not set(names) & build.UNUSED_FILES


def test_without_python313_make_build_says_how_to_get_one(tmp_path, monkeypatch, capsys):
    other = tmp_path / "python3.11"
    other.write_text(f'#!/bin/sh\nexec {sys.executable} "$@"\n')
    other.chmod(0o755)
    monkeypatch.setenv("LAMBDA_PYTHON", str(other))
    lambda_python.require.cache_clear()
    lambda_python.find.cache_clear()
    try:
        assert build.main(["product", "--out", str(tmp_path / "dist")]) == 1
    finally:
        lambda_python.require.cache_clear()
        lambda_python.find.cache_clear()
    assert "No python3.13 found" in capsys.readouterr().err
    assert not (tmp_path / "dist" / "product.zip").exists()


def test_the_basket_validates_email_addresses_without_dnspython(tmp_path):
    """dnspython is left out of the basket zip: EmailStr must work without it."""
    from scripts.localcloud.functions.packages import extract
    from scripts.localcloud.functions.runtime import ensure_runtime

    package = extract(build.build("basket", "local").path, tmp_path / "basket")
    assert not (package / "dns").exists()
    check = (
        "from pydantic import TypeAdapter, EmailStr, ValidationError\n"
        "emails = TypeAdapter(EmailStr)\n"
        "assert emails.validate_python('a.b@example.com') == 'a.b@example.com'\n"
        "try:\n    emails.validate_python('a@b@example.com')\nexcept ValidationError:\n    print('ok')\n"
    )
    result = subprocess.run(
        [str(lambda_python.local().path), "-S", "-c", check],
        env={"PYTHONPATH": f"{package}{os.pathsep}{ensure_runtime()}"},
        capture_output=True,
        text=True,
    )
    assert result.stdout.strip() == "ok", result.stderr
