"""API Gateway REST APIs with Lambda proxy integrations, on one local port."""
