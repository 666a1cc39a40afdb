"""`make invoke`: each committed sample event invokes its function's built package successfully,
and the command says which AWS it used and prints the result and the function's logs."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from scripts.localcloud import invoke, system
from scripts.localcloud.invoke import EVENTS, Invoker, function_named, functions, target

# Samples in the order a user would try them: a later one may need what an earlier one made
# (a checkout needs a basket). Samples not named here run afterwards, in name order.
FIRST = [
    "product/create-product.json",
    "product/list-phones.json",
    "product-publisher/product-written-changed-deleted.json",
    "basket-catalogue-consumer/product-events-batch.json",  # the replica prices save-basket's line
    "basket/save-basket.json",
    "basket/checkout.json",
    "order-consumer/checkout-basket-batch.json",
    "order-api/user-orders.json",
]


def samples() -> list[Path]:
    found = sorted(EVENTS.glob("*/*.json"))
    named = [EVENTS / name for name in FIRST]
    return named + [path for path in found if path not in named]


def test_every_sample_belongs_to_a_function_and_every_function_has_one():
    assert {path.parent.name for path in samples()} == set(functions())
    assert all(path.exists() for path in samples())


def succeeded(result) -> bool:
    """No function error, and the result's own verdict: a 2xx answer, or no failed record."""
    answer = json.loads(result.payload)
    if "statusCode" in answer:
        return 200 <= answer["statusCode"] < 300
    return not result.error and not (answer or {}).get("batchItemFailures")


def test_each_sample_event_invokes_its_function_successfully(tmp_path):
    logs: list[str] = []
    with target(tmp_path / "no-cloud", tmp_path) as aws:
        invoker = Invoker(aws, tmp_path, logs.append)
        for path in samples():
            result = invoker.invoke(function_named(path.parent.name), path.read_bytes())
            assert succeeded(result), (path, result.payload)
    assert any('"type": "platform.report"' in line for line in logs)


def test_the_command_prints_the_result_on_stdout_and_says_what_it_ran_against(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "scripts.localcloud.invoke",
            "product",
            str(EVENTS / "product" / "list-phones.json"),
            "--state-dir",
            str(tmp_path),
        ],
        cwd=system.ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["statusCode"] == 200
    assert "against an embedded AWS started for this call" in result.stderr
    assert '"type": "platform.report"' in result.stderr


@pytest.mark.parametrize(
    ("name", "message"),
    [("order", "order is ambiguous: order-api or order-consumer"), ("nothing", "no function nothing")],
)
def test_a_function_name_that_names_no_one_function_says_which_exist(name, message):
    with pytest.raises(LookupError, match=message):
        function_named(name)
    assert function_named(f"{invoke.PREFIX}basket").name == system.name("basket")


def test_an_event_that_is_not_json_is_refused(tmp_path, capsys):
    event = tmp_path / "event.json"
    event.write_text("not json")
    assert invoke.main(["basket", str(event), "--state-dir", str(tmp_path)]) == 2
    assert "is not a JSON event" in capsys.readouterr().err
