"""State that survives a restart: the embedded AWS is saved to `<state>/aws-state.pickle` and
put back at the next `make run` (`FRESH=1 make run` or `make reset` start empty instead).

How: a snapshot of moto's backends (aws/snapshot.py), taken between requests (aws/gate.py)
when the local cloud stops, and every few seconds while it runs if anything changed. Chosen
over the alternatives because it keeps everything as it was, at no cost per request:
- moto's recorder replays the recorded requests at start: new ids for what they create (a
  new user pool id invalidates every token), messages received again, long starts as the log
  grows, and every request written to disk as it happens;
- an export through the AWS APIs (scan the tables, receive the messages, list the users)
  cannot read messages in flight, nor recreate ids, receive counts or passwords.
So tables and their items, queues with their messages (visible, in flight, delayed, with their
receive counts), the bus and rules, parameters, and the user pool with its ids, users,
groups and signing key come back as they were: tokens issued before a restart stay valid until
they expire, and `make token` signs the same users in again.

Limits:
- a kill -9 (or a power cut) loses what happened since the last periodic snapshot (by
  default 5 s; --snapshot-seconds);
- a snapshot is loaded only by the moto and Python that wrote it (after an upgrade the local
  cloud starts empty and sets the old file aside, saying so);
- resources follow system.py at each start: missing ones are created, queues get their declared
  settings, a table saved without its declared stream gets it, but a table saved with other
  keys, indexes or stream view type keeps them (the console names it; `make reset` starts over);
- the stream mappings' positions are not kept: after a restart they read each stream again
  from its oldest record (event_sources/dynamodb_stream.py says why that is safe);
- logs and traces are not kept: each run starts them empty.
"""

import contextlib
import hashlib
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from scripts.localcloud import system
from scripts.localcloud.aws import snapshot
from scripts.localcloud.aws.clients import client

SNAPSHOT = "aws-state.pickle"
INTERVAL = 5.0  # seconds between snapshots while running, when something changed


def snapshot_path(state_dir: Path) -> Path:
    return state_dir / SNAPSHOT


class Persistence:
    def __init__(
        self,
        state_dir: Path,
        fresh: bool = False,
        interval: float | None = INTERVAL,
        console: Callable[[str], None] = print,
    ):
        self.path = snapshot_path(state_dir)
        self.fresh = fresh
        self.interval = interval
        self.console = console
        self.restored = False
        self._armed = False  # saves only once the state is this run's (restored or knowingly new)
        self._last: str | None = None  # digest of the last snapshot written
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None
        self._warned = False

    def restore(self) -> str:
        """Puts the saved state in place (before the embedded AWS serves); says what happened."""
        self._armed = True
        if self.fresh:
            existed = self.path.exists()
            self.path.unlink(missing_ok=True)
            return "empty, as asked (FRESH=1)" + (
                f": the saved state {self.path} was deleted" if existed else ""
            )
        if not self.path.exists():
            return (
                f"empty: nothing saved yet ({self.path} is written at Ctrl-C and every {self.interval:g} s)"
            )
        try:
            saved = snapshot.load(self.path)
        except snapshot.Unreadable as why:
            aside = self.path.with_name(f"{self.path.name}.{datetime.now(UTC):%Y%m%dT%H%M%S}.unreadable")
            self.path.replace(aside)
            return f"empty: the saved state was {why}; it is kept as {aside}"
        self.restored = True
        return f"restored from {self.path} (saved {saved.get('saved', '?')})"

    def start(self) -> None:
        if self.interval:
            self._thread = threading.Thread(target=self._periodically, daemon=True)
            self._thread.start()

    def _periodically(self) -> None:
        assert self.interval
        while not self._stopped.wait(self.interval):
            self.save()

    def save(self) -> bool:
        """Writes a snapshot if the state changed since the last one; True when it wrote."""
        if not self._armed:
            return False
        try:
            data = snapshot.dumps()
        except Exception as error:  # keep serving; say it once
            if not self._warned:
                self.console(f"State: could not be saved ({error!r}); a restart will lose it")
                self._warned = True
            return False
        digest = hashlib.sha256(data.partition(b"\n")[2]).hexdigest()  # the header holds the time
        if digest == self._last:
            return False
        snapshot.write(self.path, data)
        self._last = digest
        return True

    def stop(self) -> str | None:
        """The last snapshot, while the embedded AWS still runs and nothing else calls it."""
        self._stopped.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
        if not self._armed:
            return None
        self.save()
        return f"State saved to {self.path}"


def contents(endpoint: str, services: tuple[system.Service, ...]) -> str:
    """What the embedded AWS holds, in a few words: items, queued messages, users."""
    dynamodb, sqs, cognito = (client(s, endpoint) for s in ("dynamodb", "sqs", "cognito-idp"))
    items = 0
    tables = [t.name for s in services for t in s.tables]
    for table in tables:
        for page in dynamodb.get_paginator("scan").paginate(TableName=table, Select="COUNT"):
            items += page["Count"]
    messages = 0
    for queue in (q.name for s in services for q in s.queues):
        url = sqs.get_queue_url(QueueName=queue)["QueueUrl"]
        attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        messages += sum(
            int(attributes.get(name, 0))
            for name in (
                "ApproximateNumberOfMessages",
                "ApproximateNumberOfMessagesNotVisible",
                "ApproximateNumberOfMessagesDelayed",
            )
        )
    users = 0
    for pool in cognito.list_user_pools(MaxResults=60)["UserPools"]:
        with contextlib.suppress(cognito.exceptions.ResourceNotFoundException):
            for page in cognito.get_paginator("list_users").paginate(UserPoolId=pool["Id"]):
                users += len(page["Users"])
    return f"{items} items in {len(tables)} tables, {messages} messages in queues, {users} users"
