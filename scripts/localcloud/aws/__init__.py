"""The embedded AWS: moto's server (server.py) made to behave as AWS where the services rely on
it (fidelity.py), clients of it (clients.py), the system's resources created in it as
Terraform declares them (resources.py), and its state taken between requests (gate.py) and
saved or put back (snapshot.py)."""
