"""`make traces`: recent X-Ray traces of the local cloud, as trees.

    python -m scripts.traces [--limit N] [--checkout-id ID] [--product-id ID] [--trace-id ID]
                             [--port PORT | --state-dir DIR]

Each line is a segment or subsegment: name, duration, status and its annotations. An
asynchronous trace is attached under the one that caused it:
- the order consumer's under the checkout (its records carry the checkout's trace id as the
  annotation checkoutTraceId);
- the catalogue replica consumer's under the product publisher's (productTraceId);
- the product publisher's, which the table's stream starts (a stream carries no trace), under
  the latest product API write before it of one of its products (annotation productId).
`--checkout-id` finds a checkout and its order by the checkoutId annotation, `--product-id` a
product's writes, events and replica updates, as an X-Ray filter expression would.
"""

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scripts.localcloud import instance
from scripts.localcloud.xray.store import TraceStore


@dataclass
class Node:
    id: str
    trace_id: str
    name: str
    start: float
    end: float | None
    parent_id: str | None
    annotations: dict[str, Any]
    status: str
    detail: str
    children: list["Node"] = field(default_factory=list)
    request: tuple[str, str] = ("", "")  # an API Gateway segment's method and URL

    @property
    def duration_ms(self) -> float | None:
        return None if self.end is None else (self.end - self.start) * 1000

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class Trace:
    id: str
    roots: list[Node]
    linked: list["Trace"] = field(default_factory=list)  # async traces caused by this one
    via: str = ""  # how this one was caused, when it is linked

    @property
    def start(self) -> float:
        return min(root.start for root in self.roots)

    def nodes(self):
        for root in self.roots:
            yield from root.walk()

    def annotations(self) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for node in self.nodes():
            found.update(node.annotations)
        return found

    def values(self, annotation: str) -> set[Any]:
        """Every value of an annotation in the trace (a batch holds several products)."""
        return {node.annotations[annotation] for node in self.nodes() if annotation in node.annotations}

    def mentions(self, annotation: str, value: Any) -> bool:
        return value in self.values(annotation) or any(t.mentions(annotation, value) for t in self.linked)


# Annotations by which an async trace names the trace that caused it, and the path between them.
CAUSES = {
    "checkoutTraceId": "through the bus and the order queue",
    "productTraceId": "through the bus and the catalogue queue",
}
PUBLISHER_STEP = "## product.stream.event_of_record"  # a record of the product table's stream
VIA_STREAM = "through the product table's stream"


def _is_product_write(trace: Trace) -> bool:
    return any(
        n.detail.split("  ")[0].split(" ")[0] in ("POST", "PUT", "DELETE") and "/product" in n.detail
        for n in trace.roots
    )


def _link(cause: Trace, effect: Trace, via: str) -> None:
    effect.via = via
    cause.linked.append(effect)


def _status(document: dict[str, Any]) -> str:
    http = document.get("http", {}).get("response", {}).get("status")
    flag = (
        "fault"
        if document.get("fault")
        else "error"
        if document.get("error")
        else "throttle"
        if document.get("throttle")
        else ""
    )
    return " ".join(str(part) for part in (http, flag) if part)


def _detail(document: dict[str, Any]) -> str:
    aws = document.get("aws", {})
    parts = [aws.get("operation"), aws.get("table_name"), document.get("origin")]
    request = document.get("http", {}).get("request", {})
    if request.get("method"):
        parts.insert(0, f"{request['method']} {request.get('url', '')}")
    return "  ".join(str(p) for p in parts if p)


def _nodes(document: dict[str, Any], trace_id: str, parent_id: str | None) -> list[Node]:
    node = Node(
        id=document["id"],
        trace_id=trace_id,
        name=document.get("name", "?"),
        start=document.get("start_time", 0.0),
        end=document.get("end_time"),
        parent_id=document.get("parent_id", parent_id),
        annotations=document.get("annotations", {}),
        status=_status(document),
        detail=_detail(document),
        request=(
            document.get("http", {}).get("request", {}).get("method", ""),
            document.get("http", {}).get("request", {}).get("url", ""),
        ),
    )
    nodes = [node]
    for child in document.get("subsegments", []):
        nodes += _nodes(child, trace_id, node.id)
    return nodes


def load(path: Path) -> list[Trace]:
    """The traces in a store (one JSON document per line), newest first, async legs linked."""
    by_trace: dict[str, dict[str, Node]] = {}
    for document in TraceStore(path).documents():
        for node in _nodes(document, document["trace_id"], None):
            by_trace.setdefault(node.trace_id, {})[node.id] = node
    traces = {}
    for trace_id, nodes in by_trace.items():
        roots = []
        for node in nodes.values():
            parent = nodes.get(node.parent_id or "")
            (parent.children if parent else roots).append(node)
        for node in nodes.values():
            node.children.sort(key=lambda n: n.start)
        traces[trace_id] = Trace(trace_id, sorted(roots, key=lambda n: n.start))
    for trace in list(traces.values()):
        for annotation, via in CAUSES.items():
            cause = traces.get(trace.annotations().get(annotation, ""))
            if cause is not None and cause is not trace:
                _link(cause, trace, via)
    writes = sorted((t for t in traces.values() if _is_product_write(t)), key=lambda t: t.start)
    for trace in traces.values():
        if not any(node.name == PUBLISHER_STEP for node in trace.nodes()):
            continue
        products = trace.values("productId")
        before = [w for w in writes if w.start <= trace.start and w.values("productId") & products]
        if before:
            _link(before[-1], trace, VIA_STREAM)
    linked = {id(t) for trace in traces.values() for t in trace.linked}
    return sorted((t for t in traces.values() if id(t) not in linked), key=lambda t: t.start, reverse=True)


def render(trace: Trace, indent: str = "") -> list[str]:
    lines = [f"{indent}trace {trace.id}"]

    def line(node: Node, depth: int) -> None:
        duration = f"{node.duration_ms:8.1f} ms" if node.duration_ms is not None else "  (open)   "
        notes = " ".join(f"{k}={v}" for k, v in node.annotations.items() if k not in ("ColdStart", "Service"))
        cold = " cold start" if node.annotations.get("ColdStart") else ""
        name = f"{'  ' * depth}{node.name}"
        lines.append(
            f"{indent}  {name:<60} {duration}  {node.status or 'ok'}  {node.detail}{cold}  {notes}".rstrip()
        )
        for child in node.children:
            line(child, depth + 1)

    for root in trace.roots:
        line(root, 0)
    for async_trace in trace.linked:
        lines.append(f"{indent}  └─ async, {async_trace.via}:")
        lines += render(async_trace, indent + "     ")
    return lines


def select(
    traces: list[Trace],
    checkout_id: str | None,
    trace_id: str | None,
    limit: int,
    product_id: str | None = None,
) -> list[Trace]:
    if trace_id:
        return [t for t in traces if t.id == trace_id or any(x.id == trace_id for x in t.linked)]
    if checkout_id:
        return [t for t in traces if t.mentions("checkoutId", checkout_id)]
    if product_id:
        return [t for t in traces if t.mentions("productId", product_id)]
    return traces[:limit]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--limit", type=int, default=5, help="how many recent traces (default 5)")
    parser.add_argument("--checkout-id", help="the traces of one checkout and its order")
    parser.add_argument("--product-id", help="the traces of one product: writes, events, replica updates")
    parser.add_argument("--trace-id", help="one trace")
    instance.add_arguments(parser)
    args = parser.parse_args(argv)
    store = instance.chosen_state_dir(args) / "traces.jsonl"
    chosen = select(load(store), args.checkout_id, args.trace_id, args.limit, args.product_id)
    if not chosen:
        print(f"No trace found in {store}" + (" (is `make run` running?)" if not store.exists() else ""))
        return 1
    for trace in reversed(chosen):
        print("\n".join(render(trace)), end="\n\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
