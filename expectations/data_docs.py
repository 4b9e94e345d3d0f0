"""Great Expectations Data Docs that open offline.

GX's page templates load Bootstrap, jQuery, Font Awesome, Vega and the GX logo from CDNs (and the logo with a
tracking query string). Here each of those addresses is mapped to a file of an npm package, pinned: `make setup`
fetches the packages' tarballs once from the npm registry (`python -m expectations.data_docs`, plain HTTPS, so the
set-up needs no Node.js or npm) into
`.tools/data-docs-assets/`, and `localize` copies them beside a built site and rewrites every page to the local
copies. Nothing is fetched when a page is opened or when the site is built.
"""

from __future__ import annotations

import argparse
import base64
import functools
import hashlib
import os
import re
import shutil
import sys
import tarfile
import tempfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

__all__ = ["ASSETS", "DEFAULT_ASSETS_DIR", "install", "localize", "remote_references"]

#: Where `make setup` puts the packages' files (outside .venv: they are not Python).
DEFAULT_ASSETS_DIR = Path(__file__).resolve().parents[1] / ".tools" / "data-docs-assets"
#: Inside a Data Docs site: where the local copies go.
VENDOR = Path("static") / "vendor"


@dataclass(frozen=True)
class Asset:
    """A CDN address GX's templates use, and the file of a pinned npm package that serves the same bytes."""

    url: str
    package: str  # npm name@version
    path: str  # inside the package
    keep: tuple[str, ...] = ()  # further paths of the package the file needs (a stylesheet's fonts)

    @property
    def name(self) -> str:
        return self.package.rsplit("@", 1)[0]

    @property
    def local(self) -> Path:
        """Where the file is, relative to a site's root."""
        return VENDOR / self.name / self.path


ASSETS: tuple[Asset, ...] = (
    Asset("https://code.jquery.com/jquery-3.7.1.min.js", "jquery@3.7.1", "dist/jquery.min.js"),
    Asset("https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js", "popper.js@1.12.9",
          "dist/umd/popper.min.js"),
    Asset("https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css", "bootstrap@4.3.1",
          "dist/css/bootstrap.min.css"),
    Asset("https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js", "bootstrap@4.3.1",
          "dist/js/bootstrap.min.js"),
    Asset("https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.css", "bootstrap-table@1.19.1",
          "dist/bootstrap-table.min.css"),
    Asset("https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.js", "bootstrap-table@1.19.1",
          "dist/bootstrap-table.min.js"),
    Asset("https://unpkg.com/bootstrap-table@1.19.1/dist/extensions/filter-control/bootstrap-table-filter-control.min.js",
          "bootstrap-table@1.19.1", "dist/extensions/filter-control/bootstrap-table-filter-control.min.js"),
    Asset("https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.min.css",
          "bootstrap-table@1.19.1", "dist/extensions/filter-control/bootstrap-table-filter-control.min.css"),
    Asset("https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.css",
          "bootstrap-table@1.19.1", "dist/extensions/filter-control/bootstrap-table-filter-control.css"),
    Asset("https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/css/bootstrap-datepicker.min.css",
          "bootstrap-datepicker@1.9.0", "dist/css/bootstrap-datepicker.min.css"),
    Asset("https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/js/bootstrap-datepicker.min.js",
          "bootstrap-datepicker@1.9.0", "dist/js/bootstrap-datepicker.min.js"),
    Asset("https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css",
          "@fortawesome/fontawesome-free@6.6.0", "css/all.min.css", keep=("webfonts",)),
    Asset("https://cdn.jsdelivr.net/npm/@forevolve/bootstrap-dark@1.1.0/dist/css/bootstrap-prefers-dark.css",
          "@forevolve/bootstrap-dark@1.1.0", "dist/css/bootstrap-prefers-dark.css"),
    # jsDelivr serves a package's "jsdelivr" file for a bare name@major
    Asset("https://cdn.jsdelivr.net/npm/vega@5", "vega@5.33.1", "build/vega.min.js"),
    Asset("https://cdn.jsdelivr.net/npm/vega-lite@5", "vega-lite@5.23.0", "build/vega-lite.min.js"),
    Asset("https://cdn.jsdelivr.net/npm/vega-embed@6", "vega-embed@6.29.0", "build/vega-embed.min.js"),
)

#: GX's logos, fetched from its own bucket (with the site's id in the query string): GX ships the logo itself.
GX_LOGOS = re.compile(
    r"https://great-expectations-web-assets\.s3\.us-east-2\.amazonaws\.com/(?:logo-long|full_logo_dark)\.png"
    r"(?:\?[^\"')\s]*)?"
)
GX_LOGO_LOCAL = Path("static") / "images" / "logo-long.png"
#: What a page may still name on the web: plain links a reader can follow, never loaded by the page.
_REFERENCE = re.compile(r"""(?:src|href)=["'](https?://[^"']+)["']|url\(\s*['"]?(https?://[^'")\s]+)""")


#: The npm registry's tarball address of a package version (what `npm pack` downloads).
NPM_REGISTRY = "https://registry.npmjs.org"


def tarball_url(package: str, registry: str = NPM_REGISTRY) -> str:
    """`name@version` (scoped or not) → its tarball on the registry: @scope/name/-/name-1.0.0.tgz."""
    name, version = package.rsplit("@", 1)
    return f"{registry}/{name}/-/{name.rsplit('/', 1)[-1]}-{version}.tgz"


def install(target: Path = DEFAULT_ASSETS_DIR, registry: str = NPM_REGISTRY) -> Path:
    """Fetch every asset's package tarball from the npm registry and keep the files the sites use, under
    target/<package>/."""
    staging = target.with_name(f".{target.name}.tmp")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    wanted: dict[str, set[str]] = {}
    for asset in ASSETS:
        wanted.setdefault(asset.package, set()).update((asset.path, *asset.keep))
    with tempfile.TemporaryDirectory(prefix="gongkai-npm-") as tmp:
        for package, paths in wanted.items():
            name, _ = package.rsplit("@", 1)
            tarball = Path(tmp) / f"{name.replace('/', '-')}.tgz"
            with urllib.request.urlopen(tarball_url(package, registry), timeout=60) as response:
                tarball.write_bytes(response.read())
            with tarfile.open(tarball) as archive:
                members = [
                    member for member in archive.getmembers()
                    if member.isfile() and any(
                        member.name == f"package/{path}" or member.name.startswith(f"package/{path}/")
                        for path in paths
                    )
                ]
                for member in members:
                    destination = staging / name / member.name.removeprefix("package/")
                    destination.parent.mkdir(parents=True, exist_ok=True)
                    source = archive.extractfile(member)
                    assert source is not None
                    destination.write_bytes(source.read())
    for asset in ASSETS:
        if not (staging / asset.name / asset.path).is_file():
            raise RuntimeError(f"{asset.package} has no {asset.path}")
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)
    return target


def localize(site: Path, assets: Path = DEFAULT_ASSETS_DIR) -> list[str]:
    """Copy the assets into `site` and point every page of it at them. Returns the web addresses the pages still
    load (none when the assets are installed)."""
    if assets.is_dir():
        shutil.copytree(assets, site / VENDOR, dirs_exist_ok=True)
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        up = os.path.relpath(site, page.parent)
        for asset in ASSETS:
            if (site / asset.local).is_file():
                local = Path(up, asset.local).as_posix()
                text = re.sub(rf"""(["'(]){re.escape(asset.url)}(["')])""", rf"\g<1>{local}\g<2>", text)
        if (site / GX_LOGO_LOCAL).is_file():
            text = GX_LOGOS.sub(Path(up, GX_LOGO_LOCAL).as_posix(), text)
        text = _SRI_TAG.sub(functools.partial(_verified, folder=page.parent), text)
        page.write_text(text, encoding="utf-8")
    return remote_references(site)


#: A tag loading a local file with a Subresource Integrity hash and `crossorigin`: a browser refuses a file:// load
#: in CORS mode, so the hash is checked here instead and the two attributes dropped.
_SRI_TAG = re.compile(
    r"""<(?:script|link)\b[^>]*?(?:src|href)="(?P<path>(?!https?:)[^"]+)"[^>]*?"""
    r"""\s+integrity="(?P<integrity>sha(?:256|384|512)-[^"]+)"\s+crossorigin="anonymous"[^>]*>"""
)


def _verified(match: re.Match[str], folder: Path) -> str:
    tag = match.group(0)
    algorithm, _, expected = match.group("integrity").partition("-")
    local = folder / match.group("path")
    if not local.is_file():
        return tag
    digest = base64.b64encode(hashlib.new(algorithm, local.read_bytes()).digest()).decode()
    if digest != expected:  # not the file GX pinned: leave the check to the browser, which will refuse it
        return tag
    return tag.replace(f' integrity="{match.group("integrity")}"', "").replace(' crossorigin="anonymous"', "")


def remote_references(site: Path) -> list[str]:
    """The web addresses the site's pages load (scripts, stylesheets, images, CSS urls), one per line."""
    found = set()
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for match in _REFERENCE.finditer(text):
            url = match.group(1) or match.group(2)
            tag_start = text.rfind("<", 0, match.start())
            if text[tag_start:tag_start + 2] == "<a":
                continue  # a link a reader may follow, not something the page loads
            found.add(url)
    return sorted(found)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Fetch the Data Docs assets from the npm registry (make setup).")
    parser.add_argument("--target", type=Path, default=DEFAULT_ASSETS_DIR)
    args = parser.parse_args(argv)
    target = install(args.target)
    print(f"Data Docs assets in {target}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
