"""nginx in the foreground, as the user, serving a built site through deploy/nginx/: for
`make preview`, the delivery tests (tests/delivery/) and the benchmarks.

    python -m kb_build.nginx site/ [--listen 127.0.0.1:8080]

No root and no system service: everything nginx writes (its config, pid, logs, temporary files)
lives in a run folder of its own (build/nginx/<name>/), which holds a small nginx.conf that
includes the repository's files exactly as a server's /etc/nginx/ would (through the link
cytrack-kb -> deploy/nginx/). Its server blocks include site.conf like production's; with
`Production`, the production template itself (cytrack-kb.conf.template) is rendered and run,
with loopback ports for 80 and 443 and a certificate made for the run.
"""

from __future__ import annotations

import argparse
import base64
import ctypes
import hashlib
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .paths import ROOT

DEPLOY = ROOT / "deploy" / "nginx"
RUNS = ROOT / "build" / "nginx"
# Debian's libnginx-mod-http-brotli-static; NGINX_BROTLI_MODULE overrides.
BROTLI_MODULE = Path(
    os.environ.get("NGINX_BROTLI_MODULE", "/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")
)
NGINX = os.environ.get("NGINX", "nginx")
TEMP_PATHS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
TEMPLATE = DEPLOY / "cytrack-kb.conf.template"
TEMPLATE_VARIABLES = ("KB_SERVER_NAME", "KB_ROOT", "KB_TLS_CERTIFICATE", "KB_TLS_CERTIFICATE_KEY")


# timed.log: when each response was sent (the benchmarks split a page load at a moment).
TIMED_LOG_FORMAT = '$msec $status $body_bytes_sent "$request"'


class NginxError(Exception):
    """nginx is missing, or refused the configuration; the message has its output."""


@dataclass(frozen=True)
class Listen:
    """One server block serving the site: where it listens, and with which certificate if
    TLS (HTTP/2 then)."""

    port: int
    certificate: Path | None = None
    key: Path | None = None

    @property
    def url(self) -> str:
        scheme = "https" if self.certificate else "http"
        return f"{scheme}://127.0.0.1:{self.port}/"


@dataclass(frozen=True)
class Production:
    """The production template's two servers: HTTPS on `https_port`, and the plain HTTP one
    that redirects to HTTPS on `http_port` (instead of 443 and 80)."""

    https_port: int
    http_port: int
    certificate: Path
    key: Path
    server_name: str = "localhost"


def render_template(values: dict[str, str], template: Path = TEMPLATE) -> str:
    """cytrack-kb.conf.template with its variables set, as `envsubst` with their names does."""
    text = template.read_text(encoding="utf-8")
    for name in TEMPLATE_VARIABLES:
        value = values[name]
        text = re.sub(rf"\$(?:\{{{name}\}}|{name}(?!\w))", lambda _, value=value: value, text)
    if "${KB_" in text:
        raise NginxError(f"{template} uses a variable this renderer does not know")
    return text


def _production_config(site: Path, production: Production) -> str:
    text = render_template(
        {
            "KB_SERVER_NAME": production.server_name,
            "KB_ROOT": f'"{site.resolve()}"',
            "KB_TLS_CERTIFICATE": f'"{production.certificate}"',
            "KB_TLS_CERTIFICATE_KEY": f'"{production.key}"',
        }
    )
    # The only change: loopback ports for 80 and 443 (IPv6 may not exist where this runs).
    ports = {
        "listen 80;": f"listen 127.0.0.1:{production.http_port};",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{production.https_port} ssl http2;",
        "listen [::]:80;": "",
        "listen [::]:443 ssl http2;": "",
    }
    for line, replacement in ports.items():
        if text.count(line) != 1:
            raise NginxError(f"{TEMPLATE} no longer has the line {line!r} once")
        text = text.replace(line, replacement)
    return text


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _server(site: Path, listen: Listen, site_conf: str) -> str:
    lines = [f"    listen 127.0.0.1:{listen.port}{' ssl http2' if listen.certificate else ''};"]
    lines.append(f'    root "{site.resolve()}";')
    if listen.certificate:
        lines.append(f'    ssl_certificate "{listen.certificate}";')
        lines.append(f'    ssl_certificate_key "{listen.key}";')
        lines.append("    include cytrack-kb/tls.conf;")
    lines.append(f"    include {site_conf};")
    return "\n".join(["server {", *lines, "}"])


def write_config(
    run: Path,
    site: Path,
    listens: Sequence[Listen] = (),
    *,
    production: Production | None = None,
    site_conf: str = "cytrack-kb/site.conf",
    error_log: str | None = None,
) -> Path:
    """Writes run/nginx.conf (and the link run/cytrack-kb -> deploy/nginx/) for `site`.
    Besides access.log (nginx's usual format), timed.log has one line per response with the
    time it was sent, in seconds since the epoch to the millisecond (TIMED_LOG_FORMAT)."""
    run.mkdir(parents=True, exist_ok=True)
    link = run / "cytrack-kb"
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(DEPLOY, target_is_directory=True)
    for name in TEMP_PATHS:
        (run / "temp" / name).mkdir(parents=True, exist_ok=True)
    if production:
        # It includes http.conf itself, as it does on a server.
        (run / "cytrack-kb.conf").write_text(_production_config(site, production), "utf-8")
        sites = ["include cytrack-kb.conf;"]
    else:
        sites = ["include cytrack-kb/http.conf;"]
    sites += [_server(site, listen, site_conf) for listen in listens]
    config = "\n".join(
        [
            "# Written by validator/kb_build/nginx.py for one foreground run; see deploy/nginx/.",
            f'load_module "{BROTLI_MODULE}";',
            # Started as root, nginx would run its workers as nobody, who may not read a
            # private build folder: they run as whoever started it, never with more rights.
            *([f"user {_user_name()};"] if os.geteuid() == 0 else []),
            "worker_processes 1;",
            f'pid "{run}/nginx.pid";',
            f"error_log {error_log or quoted(run / 'error.log')} warn;",
            "events { worker_connections 512; }",
            "http {",
            f'    access_log "{run}/access.log";',
            f"    log_format kb_timed '{TIMED_LOG_FORMAT}';",
            f'    access_log "{run}/timed.log" kb_timed;',
            *(f'    {name}_temp_path "{run}/temp/{name}";' for name in TEMP_PATHS),
            *("    " + block.replace("\n", "\n    ") for block in sites),
            "}",
            "",
        ]
    )
    path = run / "nginx.conf"
    path.write_text(config, encoding="utf-8")
    return path


def _user_name() -> str:
    return pwd.getpwuid(os.geteuid()).pw_name


def quoted(path: Path) -> str:
    return f'"{path}"'


def _command(run: Path, *extra: str) -> list[str]:
    return [NGINX, "-p", f"{run}/", "-c", str(run / "nginx.conf"), *extra]


def check_config(run: Path) -> str:
    """`nginx -t` on run/nginx.conf; returns its report (nginx writes it to stderr)."""
    if shutil.which(NGINX) is None:
        raise NginxError(
            f"{NGINX} not found: install nginx-light and libnginx-mod-http-brotli-static"
        )
    result = subprocess.run(
        _command(run, "-t", "-q", "-g", "daemon off;"), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise NginxError(f"nginx -t refused {run / 'nginx.conf'}:\n{result.stderr}")
    return result.stderr


def make_certificate(into: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and localhost, made now, valid for a day."""
    into.mkdir(parents=True, exist_ok=True)
    certificate, key = into / "localhost.pem", into / "localhost.key"
    subject = ["-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"]
    files = ["-keyout", str(key), "-out", str(certificate)]
    request = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
    subprocess.run(
        [*request, *subject, *files],
        check=True,
        capture_output=True,
    )
    return certificate, key


def spki_sha256(certificate: Path) -> str:
    """The base64 sha256 of the certificate's public key: Chromium's
    --ignore-certificate-errors-spki-list then trusts it like a real one (HTTP cache included,
    which a certificate error would turn off)."""
    public = subprocess.run(
        ["openssl", "x509", "-in", str(certificate), "-pubkey", "-noout"],
        capture_output=True,
        check=True,
    ).stdout
    der = subprocess.run(
        ["openssl", "pkey", "-pubin", "-outform", "der"],
        input=public,
        capture_output=True,
        check=True,
    ).stdout
    return base64.b64encode(hashlib.sha256(der).digest()).decode()


def _wait_until_listening(process: subprocess.Popen[bytes], ports: list[int], run: Path) -> None:
    deadline = time.monotonic() + 15
    waiting = list(ports)
    while waiting:
        if process.poll() is not None:
            log = (run / "error.log").read_text(encoding="utf-8", errors="replace")
            raise NginxError(f"nginx stopped at start (exit {process.returncode}):\n{log}")
        try:
            socket.create_connection(("127.0.0.1", waiting[0]), timeout=0.2).close()
            waiting.pop(0)
        except OSError:
            if time.monotonic() > deadline:
                raise NginxError(f"nginx did not listen on {waiting} within 15 s") from None
            time.sleep(0.05)


def _stop_with_parent() -> None:
    """In the child, before nginx starts: if this Python dies without cleaning up (killed by a
    timeout), the kernel stops nginx too (Linux; elsewhere nothing)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGQUIT)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


@contextmanager
def serving(
    site: Path,
    listens: Sequence[Listen] = (),
    *,
    run: Path,
    production: Production | None = None,
    site_conf: str = "cytrack-kb/site.conf",
) -> Iterator[list[str]]:
    """Runs nginx in the foreground for the duration; yields each Listen's base URL (then the
    production servers' HTTPS and HTTP URLs)."""
    write_config(run, site, listens, production=production, site_conf=site_conf)
    check_config(run)
    process = subprocess.Popen(
        _command(run, "-g", "daemon off;"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=_stop_with_parent,
    )
    urls = [listen.url for listen in listens]
    ports = [listen.port for listen in listens]
    if production:
        urls += [
            f"https://127.0.0.1:{production.https_port}/",
            f"http://127.0.0.1:{production.http_port}/",
        ]
        ports += [production.https_port, production.http_port]
    try:
        _wait_until_listening(process, ports, run)
        yield urls
    finally:
        process.send_signal(signal.SIGQUIT)  # graceful: finish the requests under way
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m kb_build.nginx",
        description="Serve a built site through deploy/nginx/ with nginx in the foreground.",
    )
    parser.add_argument("site", type=Path, help="the built site, e.g. site/")
    parser.add_argument("--port", type=int, default=8080, help="port on 127.0.0.1 (8080)")
    parser.add_argument("--run", type=Path, default=RUNS / "preview", help="nginx's own files")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file():
        print(f"kb_build.nginx: {args.site} holds no built site: run make site", file=sys.stderr)
        return 2
    listen = Listen(args.port)
    try:
        write_config(args.run.resolve(), args.site, [listen], error_log="stderr")
        check_config(args.run.resolve())
    except NginxError as error:
        print(f"kb_build.nginx: {error}", file=sys.stderr)
        return 1
    print(f"Serving {args.site} through deploy/nginx/ at {listen.url} (Ctrl+C stops)")
    print(f"Requests are logged in {args.run / 'access.log'}", flush=True)
    os.execvp(NGINX, _command(args.run.resolve(), "-g", "daemon off;"))


if __name__ == "__main__":
    sys.exit(main())
