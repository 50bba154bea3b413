"""The configuration itself: nginx accepts what the tests serve with, and the production
template as shipped (rendered with envsubst, as the README says), unchanged."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kb_build import nginx

from .conftest import Servers

pytestmark = pytest.mark.delivery

VALUES = {
    "KB_SERVER_NAME": "kb.example.com",
    "KB_ROOT": "/var/www/cytrack-kb",
    "KB_TLS_CERTIFICATE": "",  # the run's certificate, below
    "KB_TLS_CERTIFICATE_KEY": "",
}


def envsubst(values: dict[str, str]) -> str:
    """The README's command: envsubst with the template's variables named."""
    names = " ".join(f"${name}" for name in nginx.TEMPLATE_VARIABLES)
    return subprocess.run(
        ["envsubst", names],
        input=nginx.TEMPLATE.read_text(encoding="utf-8"),
        env={**os.environ, **values},
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_nginx_accepts_the_configuration_the_tests_serve_with(servers: Servers):
    report = nginx.check_config(servers.run)
    assert "warn" not in report and "emerg" not in report


def test_the_production_template_as_shipped_passes_nginx_t(
    servers: Servers, delivered_site: Path, tmp_path: Path
):
    values = VALUES | {
        "KB_TLS_CERTIFICATE": str(servers.certificate),
        "KB_TLS_CERTIFICATE_KEY": str(servers.certificate.with_suffix(".key")),
    }
    production = nginx.Production(1, 2, servers.certificate, servers.certificate)  # replaced
    nginx.write_config(tmp_path, delivered_site, production=production)
    # Replaced by the template exactly as envsubst renders it: ports 80 and 443, IPv4 and IPv6.
    (tmp_path / "cytrack-kb.conf").write_text(envsubst(values), encoding="utf-8")
    report = nginx.check_config(tmp_path)
    assert "warn" not in report and "emerg" not in report


def test_envsubst_and_the_test_renderer_render_the_template_alike():
    values = VALUES | {"KB_TLS_CERTIFICATE": "/c.pem", "KB_TLS_CERTIFICATE_KEY": "/c.key"}
    rendered = envsubst(values)
    assert rendered == nginx.render_template(values)
    # nginx's own variables are left alone.
    assert "return 301 https://$host$request_uri;" in rendered
    assert "${" not in rendered


def test_the_template_uses_exactly_its_documented_variables():
    text = nginx.TEMPLATE.read_text(encoding="utf-8")
    used = set(re.findall(r"\$\{(\w+)\}", text))
    assert used == set(nginx.TEMPLATE_VARIABLES)
    header = "".join(line for line in text.splitlines(keepends=True) if line.startswith("#"))
    for name in nginx.TEMPLATE_VARIABLES:
        assert f"#   {name} " in header, f"{name} is not explained at the top of the template"


def test_every_concern_file_is_included_and_every_include_exists():
    deploy = nginx.DEPLOY
    text = "".join(path.read_text(encoding="utf-8") for path in deploy.iterdir())
    included = set(re.findall(r"include cytrack-kb/([\w.-]+);", text))
    assert included == {path.name for path in deploy.glob("*.conf")}


def test_preview_refuses_a_folder_without_a_built_site(tmp_path: Path):
    result = subprocess.run(
        [sys.executable, "-m", "kb_build.nginx", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "holds no built site: run make site" in result.stderr
