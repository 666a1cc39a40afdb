"""`make bench`: what a Lambda user pays for (init, size, latency, AWS calls), measured in one run."""
