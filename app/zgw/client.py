"""Talk to the municipality's Zaken API (ZRC): a ZGW JWT and the CRS headers on every request, JSON in and out.

The JWT is the one ZGW providers such as Open Zaak expect: HS256 with the secret the ZRC gave our client id, and the
claims `iss` (= client id), `iat`, `client_id`, `user_id` and `user_representation` (the last two go into the
ZRC's audit trail). It is made fresh for every request, so no token expires in the middle of a run.
"""

import time
from urllib.parse import urljoin

import requests
from joserfc import jwt
from joserfc.jwk import OctKey

from app.sync.worker import RETRYABLE_4XX

CRS = "EPSG:4326"  # the Zaken API wants Accept-Crs and Content-Crs even when no geometry is sent
MAX_PAGES = 20


class ZrcError(Exception):
    """The ZRC refused or could not be reached; `permanent` when trying again cannot help (a 4xx about the request)."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status

    @property
    def permanent(self) -> bool:
        """True for a refusal of the request itself; a timeout, 5xx, 401, 408, 425 or 429 is worth another attempt."""
        return self.status is not None and 400 <= self.status < 500 and self.status not in RETRYABLE_4XX | {401}


def zgw_jwt(settings: dict, *, now: float | None = None) -> str:
    """A ZGW JWT for our client id, signed HS256 with the shared secret."""
    claims = {"iss": settings["client_id"], "iat": int(now if now is not None else time.time()),
              "client_id": settings["client_id"], "user_id": settings["user_id"],
              "user_representation": settings["user_representation"]}
    return jwt.encode({"alg": "HS256", "typ": "JWT"}, claims, OctKey.import_key(settings["secret"]))


class ZrcClient:
    """The few calls the adapter makes: create, update and find Zaken, Statussen and Resultaten."""

    def __init__(self, settings: dict, http: requests.Session | None = None) -> None:
        self.settings = settings
        self.base = settings["zrc_url"].rstrip("/") + "/"
        self.http = http or requests.Session()

    def headers(self, *, audit: str = "") -> dict[str, str]:
        """The headers of every request: the JWT, JSON, and the CRS the Zaken API insists on."""
        headers = {"Authorization": f"Bearer {zgw_jwt(self.settings)}", "Accept": "application/json",
                   "Accept-Crs": CRS, "Content-Crs": CRS}
        if audit:
            headers["X-Audit-Toelichting"] = audit[:200]
        return headers

    def create(self, resource: str, body: dict, *, audit: str = "") -> dict:
        """POST a new resource (`zaken`, `statussen`, `resultaten`); return what the ZRC made (201)."""
        return self._send("POST", urljoin(self.base, resource), body, expect=201, audit=audit)

    def update(self, url: str, body: dict, *, audit: str = "") -> dict:
        """PUT a resource at its URL; return it as the ZRC stored it (200)."""
        return self._send("PUT", url, body, expect=200, audit=audit)

    def find(self, resource: str, params: dict[str, str]) -> list[dict]:
        """GET the resources matching the filters, following the pages."""
        url, query, found = urljoin(self.base, resource), params, []
        for _page in range(MAX_PAGES):
            page = self._send("GET", url, None, expect=200, params=query)
            found += page.get("results", [])
            if not page.get("next"):
                return found
            url, query = page["next"], None
        raise ZrcError(f"GET {resource}: more than {MAX_PAGES} pages")

    def _send(self, method: str, url: str, body: dict | None, *, expect: int, audit: str = "",
              params: dict | None = None) -> dict:
        headers = self.headers(audit=audit)
        if body is not None:
            headers["Content-Type"] = "application/json"
        timeout = (min(3.0, self.settings["timeout"]), self.settings["timeout"])
        try:
            response = self.http.request(method, url, json=body, params=params, headers=headers, timeout=timeout)
        except requests.RequestException as error:
            raise ZrcError(f"{method} {url}: {type(error).__name__}: {error}") from error
        if response.status_code != expect:
            raise ZrcError(f"{method} {url}: HTTP {response.status_code}: {response.text[:200]}",
                           status=response.status_code)
        try:
            answer = response.json()
        except ValueError as error:
            raise ZrcError(f"{method} {url}: the answer is not JSON") from error
        if not isinstance(answer, dict) or (method != "GET" and not answer.get("url")):
            raise ZrcError(f"{method} {url}: the answer has no url")
        return answer
