"""Only the owner publishes its events, read from the Terraform: the shared bus's resource policy
denies PutEvents of each shop source to every principal but the role of the function that owns
it, exactly, and those roles are the ones the services' modules make (by the naming convention,
as eventing is applied before the services and cannot read them).

The statements are compared as written, with variables and locals put in (the local prefix and
environment); data sources (partition, account) stay expressions.
"""

from dataclasses import dataclass

from basket.models import EVENT_SOURCE
from scripts.localcloud import system
from tests.terraform.conftest import MODULES, TerraformTree
from tests.terraform.test_iam_policies import function_policies
from tests.terraform.test_local_cloud_matches import Module

ROLES = (
    "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:role/"
)
BUS = "${aws_cloudwatch_event_bus.this.arn}"
PRODUCT_SOURCE = "shop.product"
# Each source, and the function whose role alone may publish it.
PUBLISHERS = {EVENT_SOURCE: system.name("basket"), PRODUCT_SOURCE: system.name("product", "publisher")}


@dataclass(frozen=True)
class Denial:
    sid: str
    actions: frozenset[str]
    resources: frozenset[str]
    principals: frozenset[tuple[str, tuple[str, ...]]]
    conditions: frozenset[tuple[str, str, tuple[str, ...]]]


def denial(sid: str, source: str) -> Denial:
    return Denial(
        sid,
        frozenset({"events:PutEvents"}),
        frozenset({BUS}),
        frozenset({("*", ("*",))}),
        frozenset(
            {
                ("StringEquals", "events:source", (source,)),
                ("ArnNotEquals", "aws:PrincipalArn", (ROLES + PUBLISHERS[source],)),
            }
        ),
    )


EXPECTED = {
    denial("OnlyTheBasketFunctionPublishesBasketEvents", EVENT_SOURCE),
    denial("OnlyTheProductPublisherPublishesProductEvents", PRODUCT_SOURCE),
}


def bus_policy() -> set[Denial]:
    module = Module("eventing")
    (document,) = [
        b.body for b in module.tree.blocks("data") if b.labels == ("aws_iam_policy_document", "bus")
    ]
    found = set()
    for entry in document["statement"]:
        assert entry.get("effect") == "Deny", entry  # same-account principals need no Allow here
        assert not {"not_actions", "not_resources", "not_principals"} & set(entry), entry
        found.add(
            Denial(
                entry["sid"],
                frozenset(entry["actions"]),
                frozenset(module.resolve(r) for r in entry["resources"]),
                frozenset((p["type"], tuple(p["identifiers"])) for p in entry["principals"]),
                frozenset(
                    (c["test"], c["variable"], tuple(module.resolve(v) for v in c["values"]))
                    for c in entry["condition"]
                ),
            )
        )
    return found


def test_the_bus_policy_denies_each_source_to_all_but_its_publisher_exactly():
    assert bus_policy() == EXPECTED


def test_the_policy_is_the_buses_and_the_only_one():
    tree = TerraformTree(MODULES)
    (policy,) = tree.resources("aws_cloudwatch_event_bus_policy")
    assert policy.path.parent == MODULES / "eventing"
    assert policy.body == {
        "event_bus_name": "${aws_cloudwatch_event_bus.this.name}",
        "policy": "${data.aws_iam_policy_document.bus.json}",
    }
    # aws_cloudwatch_event_permission would overwrite the policy (and grant other accounts).
    assert tree.resources("aws_cloudwatch_event_permission") == []


def test_a_function_role_is_named_after_its_function_without_a_path():
    """What the role ARNs of the policy rely on."""
    (role,) = Module("lambda-function").tree.resources("aws_iam_role")
    assert role.body["name"] == "${var.function_name}" and "path" not in role.body


def test_the_basket_function_is_the_one_the_policy_names():
    module = Module("basket")
    names = [f["function_name"] for f in module.functions()]
    assert PUBLISHERS[EVENT_SOURCE] in names
    assert module.resolve("${local.event_source}") == EVENT_SOURCE


def function_names() -> dict[tuple[str, str], str]:
    """(service, module call) -> the function's name, for each lambda-function of the services."""
    names = {}
    for service in ("product", "basket", "order"):
        module = Module(service)
        for call in module.tree.blocks("module"):
            if call.body.get("source") == "../lambda-function":
                names[service, call.labels[0]] = module.resolve(call.body["function_name"])
    return names


def test_every_function_allowed_to_publish_a_source_is_the_one_the_policy_names():
    """A function whose own IAM policy lets it publish a source must be that source's publisher
    in the bus policy, or its events would be denied. (The product publisher joins this check
    when its module grants it PutEvents.)"""
    names = function_names()
    publishing = {}
    for function, statements in function_policies().items():
        for granted in statements:
            if "events:PutEvents" not in granted.actions:
                continue
            sources = {
                v for test, key, values in granted.conditions if key == "events:source" for v in values
            }
            for source in sources:
                publishing.setdefault(source, set()).add(names[function])
    assert publishing[EVENT_SOURCE] == {PUBLISHERS[EVENT_SOURCE]}
    for source, functions in publishing.items():
        assert functions == {PUBLISHERS[source]}, source
