"""The product API over HTTP on the local cloud: an administrator writes, anyone reads."""

import uuid

import pytest

PHONE = {
    "name": "IPhone X",
    "description": "This phone",
    "category": "Phone",
    "price": 950.5,
    "imageFile": "p1.png",
}


@pytest.fixture
def category():
    return f"cat-{uuid.uuid4().hex[:8]}"


def create(admin, **fields):
    response = admin.post("/product", json={**PHONE, **fields})
    assert response.status_code == 201, response.text
    return response.json()


def test_create_get_update_delete(http, admin, category):
    product = create(admin, category=category)
    assert product == {**PHONE, "category": category, "id": product["id"]}
    assert http.get(f"/product/{product['id']}").json() == product

    updated = admin.put(f"/product/{product['id']}", json={"price": 899.99, "name": "IPhone XS"})
    assert updated.status_code == 200
    assert updated.json() == {**product, "price": 899.99, "name": "IPhone XS"}

    assert admin.delete(f"/product/{product['id']}").status_code == 204
    assert http.get(f"/product/{product['id']}").status_code == 404
    assert admin.delete(f"/product/{product['id']}").status_code == 404


def test_list_pages_through_a_category_in_name_order(http, admin, category):
    names = ["delta", "alpha", "charlie", "bravo", "echo"]
    for name in names:
        create(admin, name=name, category=category)
    create(admin, name="other", category=f"{category}-other")
    seen, token = [], None
    while True:
        params = {"category": category, "limit": 2, **({"nextToken": token} if token else {})}
        page = http.get("/product", params=params).json()
        assert page["items"], "no empty pages"
        seen += [p["name"] for p in page["items"]]
        if not (token := page["nextToken"]):
            break
    assert seen == sorted(names)


def test_list_all_pages(http, admin, category):
    created = {create(admin, category=category)["id"] for _ in range(3)}
    seen, token = set(), None
    while True:
        page = http.get("/product", params={"limit": 100, **({"nextToken": token} if token else {})}).json()
        seen |= {p["id"] for p in page["items"]}
        if not (token := page["nextToken"]):
            break
    assert created <= seen


@pytest.mark.parametrize("missing", ["00000000-0000-4000-8000-000000000000", "no-such-id"])
def test_unknown_products_are_404_json(http, admin, missing):
    for session, method in ((http, "GET"), (admin, "DELETE")):
        response = session.request(method, f"/product/{missing}")
        assert response.status_code == 404 and "not found" in response.json()["message"]
    response = admin.put(f"/product/{missing}", json={"price": 1})
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**PHONE, "name": ""}, "name"),
        ({**PHONE, "category": " "}, "category"),
        ({**PHONE, "price": -0.01}, "price"),
        ({**PHONE, "price": 1.234}, "price"),
        ({**PHONE, "price": "950.50"}, "price"),
        ({**PHONE, "stock": 3}, "stock"),
        ({k: v for k, v in PHONE.items() if k != "price"}, "price"),
    ],
)
def test_invalid_products_are_400_naming_the_field(admin, body, field):
    response = admin.post("/product", json=body)
    assert response.status_code == 400
    assert field in response.json()["message"] and field in [e["field"] for e in response.json()["errors"]]


def test_malformed_requests_are_400(http, admin, category):
    product = create(admin, category=category)
    cases = [
        admin.post("/product", data="{not json", headers={"Content-Type": "application/json"}),
        http.get("/product", params={"limit": 0}),
        http.get("/product", params={"limit": "many"}),
        http.get("/product", params={"nextToken": "garbage"}),
        admin.put(f"/product/{product['id']}", json={}),
        admin.put(f"/product/{product['id']}", json={"id": "another"}),
    ]
    for response in cases:
        assert response.status_code == 400, response.text
        assert response.json()["message"] and "Traceback" not in response.text
    assert http.get(f"/product/{product['id']}").json() == product


def test_a_body_over_64_kib_is_413(admin):
    response = admin.post("/product", json={**PHONE, "description": "x" * 70_000})
    assert response.status_code == 413
