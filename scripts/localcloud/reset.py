"""`make reset`: forgets the saved AWS state of the local cloud on PORT, so that the next
`make run` starts empty (as `FRESH=1 make run` does at once).

    python -m scripts.localcloud.reset [--port PORT | --state-dir DIR]

It refuses while that local cloud runs: it would save its state again at Ctrl-C.
"""

import argparse
import sys

from scripts.localcloud import instance
from scripts.localcloud.persistence import snapshot_path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    instance.add_arguments(parser)
    args = parser.parse_args(argv)
    state_dir = instance.chosen_state_dir(args)
    holder = instance.running(state_dir)
    if holder is not None:
        print(
            f"make reset: the local cloud on port {holder.get('port', args.port)} "
            f"(pid {holder.get('pid', '?')}) runs from {state_dir}: stop it first (Ctrl-C), "
            "or restart it empty with FRESH=1 make run",
            file=sys.stderr,
        )
        return 1
    saved = snapshot_path(state_dir)
    if not saved.exists():
        print(f"Nothing to reset: no saved state in {state_dir}; the next `make run` starts empty")
        return 0
    saved.unlink()
    print(f"Deleted the saved state {saved}: the next `make run` on port {args.port} starts empty")
    return 0


if __name__ == "__main__":
    sys.exit(main())
