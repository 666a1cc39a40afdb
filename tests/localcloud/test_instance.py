"""One local cloud per state directory, one state directory per port: the lock, and the
refusals that name the port and the variable to change."""

import socket
import subprocess
import sys
import time

import pytest

from scripts.localcloud import instance


def test_each_port_has_its_own_state_directory():
    assert instance.state_dir(3000) != instance.state_dir(3005)
    assert instance.state_dir(3005) == instance.STATE_ROOT / "3005"


def test_a_held_state_directory_refuses_another_holder_and_is_left_as_it_was(tmp_path):
    first = instance.StateLock(tmp_path)
    first.acquire(3100)
    first.record(port=3100, aws_port=4600)
    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "f.log").write_text("kept")
    with pytest.raises(instance.Refused) as refused:
        instance.StateLock(tmp_path).acquire(3100)
    message = str(refused.value)
    assert "port 3100" in message and "PORT=" in message and "AWS_PORT=" in message
    assert (tmp_path / "logs" / "f.log").read_text() == "kept"
    assert instance.running(tmp_path) | {"pid": 0} == {"pid": 0, "port": 3100, "aws_port": 4600}
    first.release()
    assert instance.running(tmp_path) is None
    second = instance.StateLock(tmp_path)
    second.acquire(3100)
    second.release()


def test_a_killed_holder_leaves_no_stale_lock(tmp_path):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from scripts.localcloud import instance\n"
            "lock = instance.StateLock(Path(sys.argv[1])); lock.acquire(3100); lock.record(port=3100)\n"
            "print('held', flush=True); time.sleep(60)",
            str(tmp_path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        assert instance.running(tmp_path)["port"] == 3100
    finally:
        holder.kill()
        holder.wait()
    assert instance.running(tmp_path) is None
    lock = instance.StateLock(tmp_path)
    lock.acquire(3100)
    lock.release()


def test_a_taken_port_is_refused_naming_it_and_the_variable():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(instance.Refused) as refused:
            instance.listening_socket(port, "the embedded AWS", "AWS_PORT")
    message = str(refused.value)
    assert message.startswith(f"Port {port} (the embedded AWS) is taken") and "AWS_PORT=" in message
    suggested = int(message.split("AWS_PORT=")[1].split()[0])
    assert suggested > port


def test_the_advice_names_a_port_that_is_free():
    port = instance.free_port_after(40000 + int(time.time()) % 1000)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", port))
