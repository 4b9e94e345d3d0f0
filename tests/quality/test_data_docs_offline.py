"""The Great Expectations Data Docs a refresh builds open offline: every page loads its scripts, stylesheets, fonts
and logo from copies beside it (expectations.data_docs; the npm packages `make setup` fetched), and a headless
Chromium whose network is cut asks for nothing but files and still draws the styled page."""

from __future__ import annotations

from pathlib import Path

import pytest

from expectations.data_docs import ASSETS, DEFAULT_ASSETS_DIR, GX_LOGO_LOCAL, localize, remote_references
from tests.browser import offline_page
from tests.conftest import ARTIFACTS, Published

GX_PAGE = """<html><head>
<link href="https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css" rel="stylesheet">
<script src="https://cdn.jsdelivr.net/npm/vega@5"></script>
<style>.logo { background: url('https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/full_logo_dark.png') }
</style></head><body>
<img src="https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/logo-long.png?d=20260101&dataContextId=x">
<a href="https://greatexpectations.io">Great Expectations</a></body></html>
"""


def test_the_assets_are_installed_for_every_cdn_address() -> None:
    for asset in ASSETS:
        assert (DEFAULT_ASSETS_DIR / asset.name / asset.path).is_file(), f"{asset.package}: run `make setup`"
    assert list((DEFAULT_ASSETS_DIR / "@fortawesome" / "fontawesome-free" / "webfonts").glob("*.woff2"))


def test_localize_points_a_nested_page_at_the_local_copies(tmp_path: Path) -> None:
    site = tmp_path / "data_docs"
    (site / "validations" / "marts").mkdir(parents=True)
    (site / GX_LOGO_LOCAL).parent.mkdir(parents=True)
    (site / GX_LOGO_LOCAL).write_bytes(b"\x89PNG")
    (site / "validations" / "marts" / "run.html").write_text(GX_PAGE, encoding="utf-8")
    assert remote_references(site) == sorted({
        "https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css",
        "https://cdn.jsdelivr.net/npm/vega@5",
        "https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/full_logo_dark.png",
        "https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/logo-long.png?d=20260101&dataContextId=x",
    })
    assert localize(site) == []
    page = (site / "validations" / "marts" / "run.html").read_text(encoding="utf-8")
    assert 'href="../../static/vendor/bootstrap/dist/css/bootstrap.min.css"' in page
    assert 'src="../../static/vendor/vega/build/vega.min.js"' in page
    assert "url('../../static/images/logo-long.png')" in page
    assert 'src="../../static/images/logo-long.png"' in page  # the tracking query string is gone too
    assert 'href="https://greatexpectations.io"' in page  # a link, not a request
    assert (site / "static" / "vendor" / "vega" / "build" / "vega.min.js").is_file()


@pytest.mark.e2e
def test_data_docs_open_in_chromium_with_the_network_cut(published: Published) -> None:
    site = published.warehouse / "reports" / "data_docs"
    assert remote_references(site) == []
    pages = [site / "index.html", next((site / "validations").rglob("*.html"))]
    ARTIFACTS.mkdir(exist_ok=True)
    with offline_page() as (page, requests):
        for path in pages:
            page.goto(path.as_uri(), wait_until="load")
            # Bootstrap's stylesheet applied (its navbar is a flex box) and jQuery ran
            assert page.locator("nav.navbar").first.evaluate("e => getComputedStyle(e).display") == "flex"
            assert page.evaluate("typeof window.jQuery") == "function"
            assert page.evaluate("typeof window.vegaEmbed") == "function"
        page.screenshot(path=str(ARTIFACTS / "data_docs.png"), full_page=False)
    assert requests.blocked == [], f"Data Docs asked for non-file URLs: {requests.blocked}"
    assert requests.failed == [], f"files the pages name are missing: {requests.failed}"
    assert any("static/vendor/bootstrap" in url for url in requests.requested)
