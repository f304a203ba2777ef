"""``workshop-kit serve`` asks for a token: another account on this machine gets nothing.

The server is started exactly as the command starts it (:func:`kit.serve.prepare`), with a
participant folder holding a commitment. A request without the token is refused on every
page; the first URL the command prints opens, and after it the other pages and a reload work
without the token (Jupyter's login cookie), as they must when a participant clicks on.
"""

from __future__ import annotations

import http.cookiejar
import json
import urllib.error
import urllib.request

import pytest
from servers import _running, jupyter_env

pytestmark = pytest.mark.slow

SECRET = "I doubt I can lead this team"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    from kit.serve import prepare

    work = tmp_path_factory.mktemp("serve")
    home = work / "participant"
    home.mkdir()
    (home / "commitments.json").write_text(
        json.dumps({"schema": 1, "exercise": "commitments", "value": {"keep": SECRET}})
    )
    serving = prepare(home=home, folder=work / "pages")
    env = {**jupyter_env(work / "jupyter", home), **_only_kit_paths(serving.env)}
    first = serving.urls[0]
    base = first.split("/voila/")[0]
    with _running(serving.command, env, work / "pages", work / "voila.log", f"{base}/"):
        yield serving, base


def _only_kit_paths(env: dict[str, str]) -> dict[str, str]:
    return {k: env[k] for k in ("JUPYTER_PATH", "JUPYTER_CONFIG_PATH", "WORKSHOP_KIT_HOME")}


def _get(opener, url: str) -> tuple[int, str]:
    try:
        with opener.open(url, timeout=120) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        body = exc.read().decode("utf-8", "replace")
        exc.close()
        return exc.code, body


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_the_printed_url_carries_a_long_random_token(served):
    serving, base = served
    assert base.startswith("http://127.0.0.1:")
    assert serving.urls[0].endswith(f"?token={serving.token}")
    assert len(serving.token) >= 32
    assert all("token=" not in url for url in serving.urls[1:])


def test_without_the_token_every_page_is_refused(served):
    serving, base = served
    stranger = urllib.request.build_opener(_NoRedirect)
    for url in [f"{base}/", *(u.split("?")[0] for u in serving.urls)]:
        status, body = _get(stranger, url)
        assert status in (302, 401, 403), (url, status)
        assert SECRET not in body
    status, _ = _get(stranger, serving.urls[0].replace(serving.token, "wrong" * 8))
    assert status in (302, 401, 403)


def test_after_the_first_url_next_pages_and_reloads_work(served):
    serving, _ = served
    jar = http.cookiejar.CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    status, _ = _get(browser, serving.urls[0])
    assert status == 200
    for url in [serving.urls[-1], serving.urls[-1], serving.urls[0].split("?")[0]]:
        status, body = _get(browser, url)
        assert status == 200, url
        assert "voila" in body.lower()
