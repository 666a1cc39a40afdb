"""Lambda functions on this machine, run as Lambda runs them.

Each execution environment (environment.py) is a process running `awslambdaric` on the
function's built package (packages.py), with only the Lambda runtime's own packages beside it
(runtime.py) and the variables Lambda sets (variables.py), and a Lambda Runtime API of its own
(runtime_api.py) that hands it one invocation (invocation.py) at a time. A pool (pool.py) per
function queues invocations, starts environments on demand up to the function's concurrency,
replaces those that crash or time out, and records what Lambda records (reports.py).
"""
