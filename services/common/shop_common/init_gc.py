"""The garbage collector during a function's init: paused, and what the init made frozen.

Every entry module runs its init (its imports, settings, clients, loggers, router) inside

    with collection_paused():
        ...

An init imports pydantic, Powertools, the X-Ray SDK, botocore's models and our modules, and
makes settings, clients and loggers: about 120,000 objects that the collector tracks. Left on,
it collects 49 times during the product API's init (45 young and 4 middle-generation
collections, python3.13), and all of them together free 475 objects: what an init makes lives
as long as the execution environment. So collection is paused for the init, and at its end
gc.freeze() moves what it made into the permanent generation, which later collections never
scan: the first requests do not pay for a collection of the whole init instead. What the init
left as garbage is frozen too: 430-510 unreachable objects, measured with gc.collect() before
the freeze.

Measured in instructions (python -m scripts.bench.instructions, callgrind, python3.13; the
baseline's init is 1,153 M): init -165 to -193 M per function (product 1,794 -> 1,609 M,
1.56 -> 1.40x the baseline; order consumer 1,767 -> 1,579 M); the first invocation no dearer
(0 to -1 M; the product publisher's -12 M, a collection it no longer makes).

The block always resumes collection, also when the init raises: Lambda's runtime exits after
reporting an init error, but a test or a tool that imports a handler carries on.
"""

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collection_paused() -> Iterator[None]:
    """No collection in the block; on success, what exists is frozen. Collection resumes as it was."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
        # Lambda imports an entry module once per execution environment. A process that imports
        # handlers again and again (the tests, make faults) freezes only the first time: later
        # freezes would keep whatever garbage was waiting for a collection, for good.
        if gc.get_freeze_count() == 0:
            gc.freeze()
    finally:
        if enabled:
            gc.enable()
