"""`make run` shuts down cleanly: exit status 0 and no process left behind."""

import os
from pathlib import Path

import requests

from tests.e2e.conftest import start_cloud


def processes_under(directory: Path) -> list[int]:
    """Processes whose working directory is inside `directory` (the functions run there)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if Path(os.readlink(entry / "cwd")).is_relative_to(directory):
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def test_the_local_cloud_stops_cleanly(tmp_path):
    cloud = start_cloud(tmp_path / "cloud")
    try:
        assert requests.get(f"{cloud.api}/product", timeout=30).status_code == 200
        assert processes_under(cloud.state), "the functions run in processes of their own"
    finally:
        status = cloud.stop()
    assert status == 0, cloud.output.read_text()
    assert processes_under(cloud.state) == []
    assert "Stopping" in cloud.output.read_text()
