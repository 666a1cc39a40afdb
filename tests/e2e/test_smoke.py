"""`make smoke` against the local cloud: the very code the pipeline runs against dev."""

from scripts.smoke import __main__ as smoke


def test_the_smoke_suite_passes_against_the_local_cloud(cloud, capsys):
    assert smoke.main(["--state-dir", str(cloud.state)]) == 0, capsys.readouterr().err
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("smoke test of local: http://127.0.0.1:")
    assert [line.split("  ")[1].strip() for line in lines if line.startswith("ok  ")] == [
        "catalogue answers anonymously",
        "no token is 401",
        "sign-in (a customer and an administrator)",
        "an administrator adds a product",
        "the basket is priced from the catalogue",
        "another user's basket is 403",
        "checkout is accepted",
        "the order appears",
    ]
    assert lines[-1] == "smoke test passed"


def test_the_smoke_suite_removes_its_users(cloud, capsys):
    assert smoke.main(["--state-dir", str(cloud.state)]) == 0
    cognito = cloud.client("cognito-idp")
    pools = cognito.list_user_pools(MaxResults=10)["UserPools"]
    users = [u["Username"] for p in pools for u in cognito.list_users(UserPoolId=p["Id"])["Users"]]
    assert not [u for u in users if u.startswith("smoke-")]


def test_without_a_local_cloud_it_says_what_to_do(tmp_path, capsys):
    assert smoke.main(["--state-dir", str(tmp_path)]) == 1
    assert "start `make run` first" in capsys.readouterr().err
