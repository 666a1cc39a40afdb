"""Plumbing shared by the shop's services: HTTP, DynamoDB, money, pagination, settings.

It holds no business rules and knows no service. scripts/build.py copies it into every
service's zip, so each service still builds and deploys on its own.
"""
