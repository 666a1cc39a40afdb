"""Lambda entry point of the product API: each route parses, calls the catalogue, answers JSON."""

from shop_common.init_gc import collection_paused

with collection_paused():  # the init, without garbage collection: shop_common.init_gc
    from aws_lambda_powertools import Logger, Metrics
    from aws_lambda_powertools.metrics import MetricUnit
    from aws_lambda_powertools.utilities.typing import LambdaContext

    from product import catalogue
    from product.models import MAX_CATEGORY, ProductCreate, ProductUpdate
    from product.repository import ProductRepository
    from product.settings import Settings
    from shop_common import clients
    from shop_common.entry_point import api_entry_point
    from shop_common.errors import FieldError, InvalidInputError
    from shop_common.http import create_router, if_match, json_response, page_request, parse_body
    from shop_common.identity import AccessRules, caller_of
    from shop_common.settings import load_settings
    from shop_common.tracing import handler_tracer

    settings = load_settings(Settings)
    logger = Logger()
    tracer = handler_tracer()
    metrics = Metrics()
    repository = ProductRepository(clients.client("dynamodb"), settings.table_name)
    app = create_router(logger)
    access = AccessRules(settings.admin_group)  # reads are public; writes are for administrators


@app.post("/product")
def create_product():
    access.require_admin(caller_of(app.request.event))
    product = catalogue.new_product(parse_body(app.request, ProductCreate))
    repository.add(product)
    logger.info("Product created", extra={"productId": product.id})
    tracer.put_annotation("productId", product.id)
    metrics.add_metric(name="ProductsCreated", unit=MetricUnit.Count, value=1)
    return json_response(201, product, version=product.version)


@app.get("/product")
def list_products():
    page = page_request(app.request)
    category = app.request.query("category")
    if category is not None:
        category = category.strip()
        if not 1 <= len(category) <= MAX_CATEGORY:
            message = f"must be 1 to {MAX_CATEGORY} characters"
            raise InvalidInputError(f"category {message}", [FieldError("category", message)])
    return json_response(200, repository.list(page, category))


@app.get("/product/<product_id>")
def get_product(product_id: str):
    tracer.put_annotation("productId", product_id)
    product = repository.get(product_id)
    return json_response(200, product, version=product.version)


# If-Match is optional: without it an update still sets only the fields it names, and the last
# writer wins on those; a client that read, changed and writes back sends the ETag it read.
@app.put("/product/<product_id>")
def update_product(product_id: str):
    access.require_admin(caller_of(app.request.event))
    tracer.put_annotation("productId", product_id)
    expected = if_match(app.request)
    changes = catalogue.changes_of(parse_body(app.request, ProductUpdate))
    product = catalogue.update(repository, product_id, changes, expected)
    logger.info("Product updated", extra={"productId": product_id, "fields": sorted(changes)})
    return json_response(200, product, version=product.version)


@app.delete("/product/<product_id>")
def delete_product(product_id: str):
    access.require_admin(caller_of(app.request.event))
    tracer.put_annotation("productId", product_id)
    catalogue.delete(repository, product_id, if_match(app.request))
    logger.info("Product deleted", extra={"productId": product_id})
    return json_response(204)


@api_entry_point(logger, tracer, metrics)
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    return app.resolve(event)
