"""Phone layout (issue 13, item 4): every page a role can open is usable at 360 px wide with no sideways scrolling.
Three roles (the director, a parish president, a liaison) sign in once each and open, at a 360x740 viewport, every
HTML page the role matrix (tests/test_every_page_every_role.py) gives them; the page's width must not pass 360 px.
A failure names each offending page and its widest elements (those that reach past the screen's right edge)."""

from urllib.parse import urlsplit

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore:No directory at:UserWarning")]

WIDTH, HEIGHT = 360, 740
ROLES = ["directora", "presidente.sagrario", "enlace.policia"]
# the elements that reach past the right edge, deepest first (the widest of each chain is what to fix)
OVERFLOW = """(width) => {
  const found = [];
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    if (box.right <= width + 0.5 || box.width === 0) continue;
    let hidden = false;  // inside a box that scrolls or clips its own content: not the page's overflow
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === 'auto' || o === 'scroll' || o === 'hidden' || o === 'clip') { hidden = true; break; }
    }
    if (hidden) continue;
    const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
      (el.classList.length ? '.' + [...el.classList].join('.') : '');
    found.push({name, right: Math.round(box.right), width: Math.round(box.width)});
  }
  found.sort((a, b) => b.right - a.right);
  return found.slice(0, 4);
}"""


def pages_for(role, samples, client):
    """The HTML pages (GET, 200) the role matrix gives the role, the Django admin and the API left out."""
    from tests.test_every_page_every_role import expectation, url_patterns

    urls = []
    for name, pattern, route in url_patterns():
        expect = expectation(name)
        if expect is None or expect.method != "GET" or role not in expect.ok or name.startswith(("admin:", "api:")):
            continue
        url = samples.url(name, pattern, route)
        if name == "logout" or url.startswith("/api/"):
            continue
        response = client.get(url)
        kind = response.get("Content-Type", "")
        if response.status_code == 200 and kind.startswith("text/html") and b"<html" in response.content[:400]:
            urls.append(url)
    return urls


@pytest.fixture
def samples(site, users):
    from centinela.participation.categories import ensure_categories
    from centinela.participation.models import ReportCategory
    from tests.test_every_page_every_role import Samples

    ensure_categories(ReportCategory)  # written by a migration: gone if an earlier live-server test flushed them
    return Samples(users)


def test_every_page_of_three_roles_fits_a_360_px_phone(new_page, site, samples, client_for, login):
    failures, seen = [], 0
    for role in ROLES:
        urls = pages_for(role, samples, client_for(role))
        assert len(urls) > 20, f"{role}: too few pages found ({urls})"
        page = new_page(viewport={"width": WIDTH, "height": HEIGHT}, is_mobile=True, has_touch=True)
        login(page, role)
        for url in urls:
            page.goto(site.url(url), wait_until="load")
            seen += 1
            scroll = page.evaluate("document.documentElement.scrollWidth")
            if scroll > WIDTH:
                widest = page.evaluate(OVERFLOW, WIDTH)
                where = ", ".join(f"{w['name']} (right {w['right']}, width {w['width']})" for w in widest)
                failures.append(f"{role:20} {urlsplit(url).path}: {scroll} px wide; {where}")
        page.context.close()
    assert seen > 100
    assert failures == [], f"{len(failures)} pages wider than {WIDTH} px:\n" + "\n".join(failures)
    # and every one of them runs under the Content-Security-Policy: no refusal, no script error (conftest's Site)
    assert site.errors == [], "\n".join(dict.fromkeys(site.errors))
