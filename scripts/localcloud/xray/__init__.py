"""X-Ray on the local cloud: trace headers (header.py), segment documents (segments.py), the
daemon stand-in that the functions' X-Ray SDK sends to (daemon.py) and the file of segments
that `make traces` reads (store.py)."""
