"""API Gateway REST APIs with Lambda proxy integrations, on one local port.

Routes come from the services' OpenAPI documents, the same ones Terraform deploys (routes.py).
A request (http.py) becomes a v1 proxy event and the function's answer the HTTP response
(proxy.py). What API Gateway itself answers is kept (answers.py): 403 "Missing Authentication
Token" for an unknown route or method, 401 "Unauthorized" when an operation secured by a
Cognito user pool gets no valid ID token (authorizer.py), 502 for a failed or malformed
integration, 413 for a body over 10 MB, JSON errors for what cannot be read. stage.py puts
these together, telemetry.py traces and logs each request; server.py listens. It also serves
the documents and a Swagger UI page (docs.py), which no deployed API has.
"""
