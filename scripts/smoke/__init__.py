"""`make smoke`: a short end-to-end run against a deployed stage or the local cloud, the same code.

stage.py   where the stage is: its APIs and user pool, from its SSM parameters
users.py   short-lived users signed in through the user pool, as a client signs in
flow.py    the steps: catalogue, sign-in, basket, checkout, order, 401 and 403
"""
