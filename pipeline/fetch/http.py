"""A polite HTTP client: retries with backoff, timeouts, a rate per host, robots.txt, a User-Agent
that says who is asking, and downloads that are whole or not there at all.

Retrying is urllib3's `Retry` behind requests (5xx answers, dropped connections and read timeouts,
exponential backoff, Retry-After honoured), not a loop of our own. robots.txt follows RFC 9309: a
4xx answer means no rules; a server error or no answer means stay out. Every failure is a
`FetchError` whose `code` is the row `fetch_problems.csv` gets.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
import time
import urllib.robotparser
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from .. import __version__
from ..writer import FILE_MODE

USER_AGENT = (f"councilpapers/{__version__} (open-source reader of UK council committee papers; "
              "one request per second; honours robots.txt)")
RETRY_STATUSES = (500, 502, 503, 504)


class FetchError(Exception):
    """A request that gave nothing usable; `code` names the kind for fetch_problems.csv."""

    def __init__(self, code: str, url: str, message: str):
        super().__init__(f"{code}: {url}: {message}")
        self.code, self.url, self.message = code, url, message


@dataclass
class Download:
    path: Path | None    # a temporary file beside the destination, whole and checked; None: not modified
    sha256: str | None
    size: int
    etag: str | None = None
    last_modified: str | None = None


class Client:
    def __init__(self, rate: float = 1.0, timeout: float = 30.0, retries: int = 3, backoff: float = 0.5,
                 user_agent: str = USER_AGENT, max_redirects: int = 10):
        self.session = requests.Session()
        retry = Retry(total=retries, connect=retries, read=retries, status=retries, backoff_factor=backoff,
                      status_forcelist=RETRY_STATUSES, allowed_methods=frozenset({"GET"}),
                      raise_on_status=False, respect_retry_after_header=True)
        adapter = HTTPAdapter(max_retries=retry)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.session.headers["User-Agent"] = user_agent
        self.session.max_redirects = max_redirects
        self.timeout = timeout
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self._last: dict[str, float] = {}
        self._robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}

    def _pace(self, url: str) -> None:
        host = urlsplit(url).netloc
        wait = self._last.get(host, -1e9) + self.interval - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self._last[host] = time.monotonic()

    def _request(self, url: str, stream: bool = False, headers: dict | None = None) -> requests.Response:
        self._pace(url)
        try:
            r = self.session.get(url, timeout=self.timeout, stream=stream, headers=headers)
        except requests.exceptions.TooManyRedirects:
            raise FetchError("redirect_loop", url, "the server redirects in a loop") from None
        except requests.exceptions.Timeout:
            raise FetchError("timeout", url, f"no answer within {self.timeout:g} s (after retries)") from None
        except requests.exceptions.RetryError as exc:
            raise FetchError("server_error", url, f"server errors on every retry ({exc})") from None
        except requests.exceptions.ConnectionError as exc:
            reason = "timeout" if "timed out" in str(exc).lower() else "unreachable"
            raise FetchError(reason, url, f"connection failed after retries: {type(exc).__name__}") from None
        return r

    def allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        root = f"{parts.scheme}://{parts.netloc}"
        if root not in self._robots:
            rules = urllib.robotparser.RobotFileParser()
            try:
                r = self._request(root + "/robots.txt")
            except FetchError:
                r = None
            if r is None or r.status_code >= 500:
                self._robots[root] = None  # RFC 9309: unreachable robots.txt means stay out
            else:
                rules.parse(r.text.splitlines() if r.status_code == 200 else [])
                self._robots[root] = rules
        rules = self._robots[root]
        return rules is not None and rules.can_fetch(self.session.headers["User-Agent"], url)

    def _check(self, url: str, stream: bool = False, headers: dict | None = None) -> requests.Response:
        if not self.allowed(url):
            raise FetchError("robots_disallowed", url, "robots.txt does not allow this path (or could not be read)")
        r = self._request(url, stream=stream, headers=headers)
        if r.status_code == 403:
            raise FetchError("forbidden", url, "403 Forbidden: a firewall or the site refuses automated requests")
        if r.status_code == 404:
            raise FetchError("not_found", url, "404 Not Found")
        if r.status_code in RETRY_STATUSES:
            raise FetchError("server_error", url, f"HTTP {r.status_code} on every retry")
        if r.status_code >= 400:
            raise FetchError("http_error", url, f"HTTP {r.status_code}")
        return r

    def get_text(self, url: str) -> str:
        return self.get_page(url)[0]

    def get_page(self, url: str) -> tuple[str, bytes]:
        """(text, the bytes as served): the text to read links from, the bytes to keep."""
        r = self._check(url)
        r.encoding = r.encoding or "utf-8"
        return r.text, r.content

    def download(self, url: str, folder: Path, etag: str | None = None, last_modified: str | None = None) -> Download:
        """The body of `url` in a temporary file in `folder` (so the final rename is atomic), checked
        against Content-Length; a short or broken body raises `truncated` and leaves no file. With the
        validators an earlier answer sent (ETag, Last-Modified) the request is conditional, and a
        304 Not Modified gives a Download with no file."""
        conditions = {k: v for k, v in (("If-None-Match", etag), ("If-Modified-Since", last_modified)) if v}
        r = self._check(url, stream=True, headers=conditions or None)
        validators = {"etag": r.headers.get("ETag"), "last_modified": r.headers.get("Last-Modified")}
        if r.status_code == 304:
            r.close()
            return Download(None, None, 0, etag or validators["etag"], last_modified or validators["last_modified"])
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".part-", dir=folder)
        digest, size = hashlib.sha256(), 0
        try:
            with os.fdopen(fd, "wb") as fh:
                for chunk in r.iter_content(64 * 1024):
                    fh.write(chunk)
                    digest.update(chunk)
                    size += len(chunk)
            expected = r.headers.get("Content-Length")
            if expected is not None and expected.isdigit() and int(expected) != size:
                raise FetchError("truncated", url, f"got {size} of {expected} bytes")
            os.chmod(tmp, FILE_MODE)
        except (requests.exceptions.ChunkedEncodingError, requests.exceptions.ConnectionError) as exc:
            os.unlink(tmp)
            raise FetchError("truncated", url, f"the download broke off after {size} bytes ({type(exc).__name__})") from None
        except BaseException:
            os.unlink(tmp)
            raise
        finally:
            r.close()
        return Download(Path(tmp), digest.hexdigest(), size, **validators)
