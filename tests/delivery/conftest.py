"""The delivery layer: the strictly built site, precompressed as `make site` leaves it, served by
the real nginx through deploy/nginx/ (kb_build/nginx.py): a plain HTTP server on loopback as
`make preview` runs it, and the production template itself (HTTPS with HTTP/2, and its HTTP
server that redirects), with a certificate made for the run."""

from __future__ import annotations

import http.client
import os
import shutil
import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from kb_build import nginx, precompress


@dataclass(frozen=True)
class Servers:
    http: str  # plain HTTP, as `make preview` serves
    https: str  # the production template's TLS server
    redirect: str  # the production template's plain HTTP server
    run: Path  # nginx's own files: nginx.conf, access.log, error.log
    certificate: Path


@dataclass(frozen=True)
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes  # as sent: still compressed if Content-Encoding says so

    def header(self, name: str) -> str | None:
        return self.headers.get(name)


@pytest.fixture(scope="session")
def delivered_site(built_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built site with its .br and .gz copies (`python -m kb_build.precompress`), in a copy
    of its own (hard links), so the other layers see the site as MkDocs left it."""
    site = tmp_path_factory.mktemp("delivered") / "site"
    shutil.copytree(built_site, site, copy_function=os.link)
    precompress.precompress(site)
    return site


@pytest.fixture(scope="session")
def servers(delivered_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    run = tmp_path_factory.mktemp("nginx")
    certificate, key = nginx.make_certificate(run / "tls")
    plain = nginx.Listen(nginx.free_port())
    production = nginx.Production(nginx.free_port(), nginx.free_port(), certificate, key)
    with nginx.serving(delivered_site, [plain], run=run, production=production) as urls:
        yield Servers(*urls, run=run, certificate=certificate)


def fetch(
    url: str,
    *,
    headers: dict[str, str] | None = None,
    method: str = "GET",
    certificate: Path | None = None,
) -> Response:
    """One request, nothing decoded or followed: the response exactly as nginx sent it."""
    parts = urlsplit(url)
    if parts.scheme == "https":
        context = ssl.create_default_context(cafile=str(certificate))
        connection: http.client.HTTPConnection = http.client.HTTPSConnection(
            parts.hostname, parts.port, context=context, timeout=30
        )
    else:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        connection.request(method, path or "/", headers=headers or {})
        response = connection.getresponse()
        return Response(response.status, response.headers, response.read())
    finally:
        connection.close()


@pytest.fixture
def get(servers: Servers):  # type: ignore[no-untyped-def]
    """GET a path from the plain HTTP server (or from `base`, e.g. servers.https)."""

    def get(
        path: str, *, base: str | None = None, headers: dict[str, str] | None = None
    ) -> Response:
        url = (base or servers.http) + path.lstrip("/")
        return fetch(url, headers=headers, certificate=servers.certificate)

    return get
