"""`make traces`: segments become trees, and an order's trace hangs under its checkout."""

import json

from scripts import traces

ROOT, ASYNC = "1-6b000000-aaaaaaaaaaaaaaaaaaaaaaaa", "1-6b000001-bbbbbbbbbbbbbbbbbbbbbbbb"
DOCUMENTS = [
    # the SDK streams subsegments alone, each naming its parent
    {
        "type": "subsegment",
        "trace_id": ROOT,
        "parent_id": "f1",
        "id": "h1",
        "name": "## lambda_handler",
        "start_time": 1.01,
        "end_time": 1.09,
        "annotations": {"checkoutId": "c-1", "ColdStart": False},
        "subsegments": [
            {
                "id": "d1",
                "name": "dynamodb",
                "start_time": 1.02,
                "end_time": 1.03,
                "aws": {"operation": "GetItem", "table_name": "shop-local-basket"},
            }
        ],
    },
    {
        "trace_id": ROOT,
        "id": "f1",
        "parent_id": "g1",
        "name": "shop-local-basket",
        "start_time": 1.0,
        "end_time": 1.1,
        "origin": "AWS::Lambda::Function",
    },
    {
        "trace_id": ROOT,
        "id": "g1",
        "name": "shop-local-basket/local",
        "start_time": 0.99,
        "end_time": 1.11,
        "http": {"request": {"method": "POST", "url": "/basket/checkout"}, "response": {"status": 202}},
    },
    {
        "trace_id": ASYNC,
        "id": "f2",
        "name": "shop-local-order-consumer",
        "start_time": 2.0,
        "end_time": 2.1,
        "subsegments": [
            {
                "id": "r2",
                "name": "## record_handler",
                "start_time": 2.01,
                "end_time": 2.05,
                "fault": True,
                "annotations": {"checkoutId": "c-1", "checkoutTraceId": ROOT},
            }
        ],
    },
    {
        "trace_id": "1-6b000002-cccccccccccccccccccccccc",
        "id": "g3",
        "name": "shop-local-product/local",
        "start_time": 3.0,
        "end_time": 3.01,
    },
]


def store(tmp_path):
    path = tmp_path / "traces.jsonl"
    path.write_text("\n".join(json.dumps(d) for d in DOCUMENTS) + "\n")
    return path


def test_segments_become_one_tree_per_trace_with_async_legs_attached(tmp_path):
    product, checkout = traces.load(store(tmp_path))  # newest first; the order trace is not listed alone
    assert [n.name for n in checkout.nodes()] == [
        "shop-local-basket/local",
        "shop-local-basket",
        "## lambda_handler",
        "dynamodb",
    ]
    assert [t.id for t in checkout.linked] == [ASYNC] and product.linked == []


def test_a_checkout_is_found_by_its_id_with_its_order(tmp_path):
    (found,) = traces.select(traces.load(store(tmp_path)), "c-1", None, 5)
    text = "\n".join(traces.render(found))
    assert "POST /basket/checkout" in text and "202" in text and "GetItem  shop-local-basket" in text
    assert "async" in text and "shop-local-order-consumer" in text and "fault" in text


def test_the_command_prints_recent_traces(tmp_path, capsys):
    store(tmp_path)
    assert traces.main(["--state-dir", str(tmp_path), "--limit", "1"]) == 0
    assert "shop-local-product/local" in capsys.readouterr().out
    assert traces.main(["--state-dir", str(tmp_path / "none")]) == 1
