"""The site's public address, from the SITE_URL environment variable at build time
(mkdocs.yml: ``site_url: !ENV [SITE_URL, ""]``), for the canonical links and sitemap.xml.

A build without SITE_URL has no canonical links (MkDocs adds none without a site_url) and no
sitemap: a sitemap of relative or loopback addresses would point search engines nowhere.
README.md, "Deploy", says where to set it.

MkDocs events: on_config (an address must be absolute http(s)), on_post_build (no sitemap
without one).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

SITEMAPS = ("sitemap.xml", "sitemap.xml.gz")


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """MkDocs `on_config` event."""
    if config.site_url:
        parts = urlsplit(config.site_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise PluginError(
                f"SITE_URL is {config.site_url!r}: set it to the site's public address, "
                "such as https://kb.example.com/, or leave it unset"
            )
    return config


def on_post_build(config: MkDocsConfig) -> None:
    """MkDocs `on_post_build` event."""
    if not config.site_url:
        for name in SITEMAPS:
            (Path(config.site_dir) / name).unlink(missing_ok=True)
