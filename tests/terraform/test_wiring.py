"""The components find each other only through SSM parameters: every parameter a component reads
is one another component writes, as Terraform renders them (tests/terraform/render), and the
values the rendering gives the readers (render/parameters.json) are what the writers write."""

import json

from tests.terraform.conftest import LIVE, RENDER, TerraformTree


def test_every_parameter_read_is_written_by_a_component(rendered):
    written = {
        p.values["name"]: p.module for p in rendered.of_type("aws_ssm_parameter") if p.mode == "managed"
    }
    read = {
        (d.values["name"], d.module)
        for d in rendered.resources.values()
        if d.type == "aws_ssm_parameter" and d.mode == "data"
    }
    assert read, "no component reads an SSM parameter"
    unwritten = sorted(f"{module} reads {name}" for name, module in read if name not in written)
    assert not unwritten, unwritten
    own = sorted(f"{module} reads its own {name}" for name, module in read if written.get(name) == module)
    assert not own, own


def test_the_rendering_gives_readers_what_the_writers_write(rendered):
    fixtures = json.loads((RENDER / "parameters.json").read_text())["aws_ssm_parameter"]
    written = {
        p.values["name"]: p.values["value"]
        for p in rendered.of_type("aws_ssm_parameter")
        if p.mode == "managed"
    }
    read = {
        d.values["name"]
        for d in rendered.resources.values()
        if d.type == "aws_ssm_parameter" and d.mode == "data"
    }
    assert read <= set(fixtures), (
        f"give these a value in {RENDER.name}/parameters.json: {sorted(read - set(fixtures))}"
    )
    assert {name: written[name] for name in fixtures} == fixtures


def test_the_rendering_wires_every_component_the_live_roots_deploy(tf):
    """tests/terraform/render stands for an environment: it calls every module a live root calls
    (but the guard), so that no component's policies or parameters escape the tests above."""
    deployed = {
        (block.path.parent / block.body["source"]).resolve()
        for block in tf.blocks("module")
        if LIVE in block.path.parents and not block.body["source"].endswith("environment-guard")
    }
    harness = TerraformTree(RENDER)
    rendered_modules = {(b.path.parent / b.body["source"]).resolve() for b in harness.blocks("module")}
    assert deployed == rendered_modules
