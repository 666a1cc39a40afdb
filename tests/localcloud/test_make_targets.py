"""The Makefile's local cloud targets pass their settings through (`make -n` shows the command)."""

import os
import subprocess

import pytest

from scripts.localcloud import system

# A make of its own, not a sub-make of the `make test` that may run this.
ENVIRONMENT = {
    k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS", "MAKEOVERRIDES")
}


def command(*arguments: str) -> str:
    """The last command `make -n` would run (earlier ones may install .venv)."""
    result = subprocess.run(
        ["make", "-n", "--no-print-directory", *arguments],
        cwd=system.ROOT,
        capture_output=True,
        text=True,
        env=ENVIRONMENT,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (["bench", "ARGS=--rounds 2 --requests 10"], "-m scripts.bench --rounds 2 --requests 10"),
        (["traces", "ARGS=--limit 3"], "-m scripts.traces --port 3000 --limit 3"),
        (["run", "PORT=3005", "AWS_PORT=4567", "FRESH=1"], "PORT=3005 AWS_PORT=4567 FRESH=1 "),
        (["reset", "PORT=3005"], "-m scripts.localcloud.reset --port 3005"),
        (
            ["invoke", "FUNCTION=basket", "EVENT=events/basket/checkout.json"],
            "-m scripts.localcloud.invoke 'basket' 'events/basket/checkout.json' --port 3000",
        ),
        (["token", "USER=alice", "PORT=3005"], "-m scripts.token 'alice' --port 3005"),
        (["replay-catalogue", "PORT=3005"], "-m scripts.replay_catalogue --port 3005"),
        (["replica-lag", "ARGS=--writes 5"], "-m scripts.bench.replica_lag --port 3000 --writes 5"),
    ],
)
def test_targets_pass_their_settings_through(arguments, expected):
    assert expected in command(*arguments)


def test_make_invoke_says_what_it_needs():
    result = subprocess.run(
        ["make", "invoke"], cwd=system.ROOT, capture_output=True, text=True, env=ENVIRONMENT
    )
    assert result.returncode != 0 and "make invoke FUNCTION=basket EVENT=" in result.stderr
