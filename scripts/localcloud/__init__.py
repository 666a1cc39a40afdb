"""The local cloud of `make run`: the system on this machine, as Terraform deploys it to AWS.

system.py        what it runs: the functions and resources, mirroring the Terraform modules
__main__.py      `make run`; cloud.py puts the parts together and starts and stops them
interrupt.py     Ctrl-C and SIGTERM whichever thread the kernel gives them; SIGUSR1: stacks
instance.py      one state directory per port, held while it runs; the refusals
persistence.py   the embedded AWS's state saved and put back (reset.py: `make reset`)
reload.py        hot reload of a service's functions (watcher.py notices the saves)
invoke.py        `make invoke`: one function, one event
process.py       the local cloud in a child process, for tests and tools
logs.py          each function's log file
aws/             the embedded AWS (moto), and the system's resources in it
functions/       Lambda: execution environments, the Runtime API, pools
gateway/         API Gateway: REST APIs with proxy integrations and a Cognito authorizer
event_sources/   event source mappings (SQS queues, DynamoDB streams)
xray/            X-Ray: trace headers, segments, the daemon stand-in and the store
"""
