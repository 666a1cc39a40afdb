"""Only the owner publishes its events, read from what Terraform renders: the shared bus's
resource policy denies PutEvents of each shop source to every principal but the role of the
function that owns it, exactly (test_iam_policies lists the statements), and the role it names
is the role of the one function whose policy grants PutEvents of that source. Eventing is
applied before the services and names their roles by the naming convention; this test is what
ties that convention to the roles the service modules make."""

from basket.models import EVENT_SOURCE
from product.events import EVENT_SOURCE as PRODUCT_EVENT_SOURCE
from tests.terraform.policies import rendered_statements
from tests.terraform.test_iam_policies import function_modules, role_policy

BUS_POLICY = "module.eventing.aws_cloudwatch_event_bus_policy.this"


def denied_but_for(rendered) -> dict[str, str]:
    """Source -> the name of the one role the bus policy lets publish it."""
    allowed = {}
    for denial in rendered_statements(rendered.resources[BUS_POLICY].values["policy"]):
        assert denial.effect == "Deny" and denial.actions == {"events:PutEvents"}, denial
        conditions = {variable: values for _, variable, values in denial.conditions}
        (source,) = conditions["events:source"]
        (role_arn,) = conditions["aws:PrincipalArn"]
        allowed[source] = role_arn.rsplit(":role/", 1)[1]
    return allowed


def publishing_roles(rendered) -> dict[str, set[str]]:
    """Source -> the names of the roles whose policy grants PutEvents of it."""
    found: dict[str, set[str]] = {}
    for module in function_modules(rendered).values():
        role = rendered.resources[f"{module}.aws_iam_role.this"].values["name"]
        for granted in rendered_statements(role_policy(rendered, module)):
            if "events:PutEvents" in granted.actions:
                for _, variable, values in granted.conditions:
                    if variable == "events:source":
                        for source in values:
                            found.setdefault(source, set()).add(role)
    return found


def test_the_role_the_bus_policy_allows_is_the_one_function_granted_that_source(rendered):
    allowed = denied_but_for(rendered)
    assert set(allowed) == {EVENT_SOURCE, PRODUCT_EVENT_SOURCE}
    assert publishing_roles(rendered) == {source: {role} for source, role in allowed.items()}
    assert allowed == {EVENT_SOURCE: "shop-dev-basket", PRODUCT_EVENT_SOURCE: "shop-dev-product-publisher"}
