"""`make traces` follows a product write through the table's stream, the publisher, the bus and the
catalogue queue to the replica's update."""

import json

from scripts import traces

WRITE, PUBLISH, APPLY, OTHER = (f"1-6b00000{i}-{c * 24}" for i, c in enumerate("abcd"))


def segment(trace_id, segment_id, name, start, **fields):
    return {
        "trace_id": trace_id,
        "id": segment_id,
        "name": name,
        "start_time": start,
        "end_time": start + 0.1,
        **fields,
    }


def annotated(trace_id, parent, step, start, **annotations):
    return {
        "type": "subsegment",
        "trace_id": trace_id,
        "parent_id": parent,
        "id": f"{parent}-{step}",
        "name": step,
        "start_time": start,
        "end_time": start + 0.01,
        "annotations": annotations,
    }


def write(trace_id, start, method, product_id):
    return [
        segment(
            trace_id,
            f"api-{trace_id}",
            "shop-local-product/local",
            start,
            http={"request": {"method": method, "url": f"/product/{product_id}"}},
        ),
        annotated(trace_id, f"api-{trace_id}", "## lambda_handler", start + 0.01, productId=product_id),
    ]


DOCUMENTS = [
    *write(OTHER, 0.5, "PUT", "p1"),  # an earlier write of the same product
    *write(WRITE, 1.0, "PUT", "p1"),
    *write("1-6b000009-" + "e" * 24, 1.1, "PUT", "p9"),  # another product's
    segment(PUBLISH, "f2", "shop-local-product-publisher", 1.5),
    annotated(PUBLISH, "f2", "## product.stream.event_of_record", 1.51, productId="p1", version=2),
    segment(APPLY, "f3", "shop-local-basket-catalogue-consumer", 2.0),
    annotated(
        APPLY,
        "f3",
        "## basket.replica_consumer.record_handler",
        2.01,
        productId="p1",
        version=2,
        productTraceId=PUBLISH,
    ),
]


def loaded(tmp_path):
    path = tmp_path / "traces.jsonl"
    path.write_text("\n".join(json.dumps(d) for d in DOCUMENTS) + "\n")
    return traces.load(path)


def test_the_replica_update_hangs_under_the_publication_under_the_latest_write_before_it(tmp_path):
    found = {t.id: t for t in loaded(tmp_path)}
    assert PUBLISH not in found and APPLY not in found  # not listed alone
    (publication,) = found[WRITE].linked
    assert publication.id == PUBLISH and [t.id for t in publication.linked] == [APPLY]
    assert found[OTHER].linked == []
    text = "\n".join(traces.render(found[WRITE]))
    assert "through the product table's stream" in text and "through the bus and the catalogue queue" in text


def test_a_product_is_found_by_its_id(tmp_path):
    chosen = traces.select(loaded(tmp_path), None, None, 5, product_id="p1")
    assert [t.id for t in chosen] == [WRITE, OTHER]
