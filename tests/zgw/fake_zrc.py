"""A fake ZRC for the contract tests: the Zaken API 1.5.1 over real HTTP (werkzeug, a thread, a free port).

Every request is checked against the published document (tests/zgw/contract.py: parameters, CRS headers, body)
and the ZGW JWT (HS256, the shared secret, the claims of the ZGW auth spec); what a ZRC checks beyond the schema is
checked too (RSIN 11-proef, known zaaktype/statustype/resultaattype of the right zaaktype, identificatie unique per
bronorganisatie, one Resultaat per Zaak). A good request is answered like a ZRC (201 with the resource), a bad one
like a ZRC (400 ValidatieFout, 401/403 Fout, 412 for a missing CRS header); every answer is checked against the
document before it leaves, and one that does not conform is a 500 and an entry in `answer_problems`.
"""

import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlencode

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import OctKey
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from tests.support.servers import free_port, serve_in_thread
from tests.zgw import contract

API_VERSION = "1.5.1"
JWT_CLAIMS = ("iss", "iat", "client_id", "user_id", "user_representation")


@dataclass
class Catalog:
    """The Catalogi API the fake knows: zaaktypen, and the zaaktype of each statustype and resultaattype."""

    zaaktypen: set[str]
    statustypen: dict[str, str]
    resultaattypen: dict[str, str]


@dataclass
class Seen:
    """One request as the fake got it, and what it answered."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: dict | None
    status: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def resource(self) -> str:
        return self.path.removeprefix(contract.API_ROOT).strip("/").split("/")[0]


class FakeZrc:
    """The fake: its stored Zaken, Statussen and Resultaten, the requests it saw, and switches for faults."""

    def __init__(self, *, client_id: str, secret: str, catalog: Catalog, page_size: int = 100) -> None:
        self.client_id, self.key = client_id, OctKey.import_key(secret)
        self.catalog, self.page_size = catalog, page_size
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}{contract.API_ROOT}"
        self.zaken: dict[str, dict] = {}
        self.statussen: dict[str, dict] = {}
        self.resultaten: dict[str, dict] = {}
        self.seen: list[Seen] = []
        self.answer_problems: list[str] = []
        self.faults: list[list] = []  # [method, resource, status, after handling it, matching requests to let by]
        self._lock = threading.Lock()
        self._server = make_server("127.0.0.1", self.port, self, threaded=True)

    def start(self) -> "FakeZrc":
        serve_in_thread(self._server)
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    # Switches for the tests

    def fail_next(self, method: str, resource: str, status: int = 503, *, skip: int = 0) -> None:
        """Answer the next such request (after `skip` of them) with `status` without handling it."""
        self.faults.append([method, resource, status, False, skip])

    def lose_next_answer(self, method: str, resource: str, *, skip: int = 0) -> None:
        """Handle the next such request (after `skip` of them), then answer 502 as if the answer were lost."""
        self.faults.append([method, resource, 502, True, skip])

    def rejected(self) -> list[Seen]:
        """The requests the fake refused for not following the document or the ZRC's rules."""
        return [s for s in self.seen if s.problems]

    # The server

    def __call__(self, environ, start_response):
        request = Request(environ)
        with self._lock:
            response = self._handle(request)
        return response(environ, start_response)

    def _handle(self, request: Request) -> Response:
        body = _json_or_none(request.get_data())
        seen = Seen(request.method, request.path, request.args.to_dict(flat=False), dict(request.headers), body)
        self.seen.append(seen)
        path = request.path.removeprefix(contract.API_ROOT)
        op = contract.operation(request.method, path) if request.path.startswith(contract.API_ROOT) else None
        if op is None:
            seen.problems.append(f"no operation {request.method} {request.path} in the document")
            return self._answer(seen, None, 404, _fout(404, "not-found", "Niet gevonden."))
        fault = self._fault(request.method, seen.resource)
        if fault and not fault[3]:  # (503 and the like are not in the document: not checked against it)
            return self._answer(seen, op, fault[2], _fout(fault[2], "unavailable", "Tijdelijk niet beschikbaar."),
                                documented=False)
        problems = contract.request_problems(op, headers=dict(request.headers), query=seen.query,
                                             content_type=request.content_type or "", body=request.get_data())
        auth = self._auth_problem(request.headers.get("Authorization", ""))
        if auth:
            seen.problems.append(f"{auth[0]} Authorization: {auth[1]}")
            return self._answer(seen, op, auth[0], _fout(auth[0], "not_authenticated", auth[1]))
        problems += [] if problems else self._rules(op, body)
        if problems:
            seen.problems += [str(p) for p in problems]
            other = sorted(p.status for p in problems if p.status != 400)  # 412, 406, 415, 404 before 400
            if other:
                return self._answer(seen, op, other[0], _fout(other[0], "precondition", "; ".join(seen.problems)))
            return self._answer(seen, op, 400, _validatiefout(problems))
        status, answer = self._apply(op, request, body)
        if fault:  # handled, and the answer is lost
            return self._answer(seen, op, 502, _fout(502, "bad-gateway", "Bad gateway."), documented=False)
        return self._answer(seen, op, status, answer)

    def _fault(self, method: str, resource: str):
        for n, fault in enumerate(self.faults):
            if fault[0] == method and fault[1] == resource:
                if fault[4]:
                    fault[4] -= 1
                    return None
                return self.faults.pop(n)
        return None

    def _auth_problem(self, header: str) -> tuple[int, str] | None:
        """The ZGW JWT: HS256 with our secret, every claim present, iss and client_id our client, iat recent."""
        if not header.startswith("Bearer "):
            return 401, "Authenticatiegegevens zijn niet opgegeven (Bearer JWT)."
        try:
            token = jwt.decode(header.removeprefix("Bearer "), self.key, algorithms=["HS256"])
        except (JoseError, ValueError) as error:
            return 403, f"JWT is niet geldig: {type(error).__name__}"
        claims = token.claims
        missing = [claim for claim in JWT_CLAIMS if claim not in claims]
        if missing:
            return 403, f"JWT mist claims: {', '.join(missing)}"
        if claims["iss"] != self.client_id or claims["client_id"] != self.client_id:
            return 403, "Onbekende client_id."
        if not isinstance(claims["iat"], int) or abs(time.time() - claims["iat"]) > 300:
            return 403, "iat ligt te ver van nu."
        return None

    def _rules(self, op: contract.Operation, body) -> list[contract.Problem]:
        """What a ZRC checks beyond the schema."""
        key = (op.method, op.template)
        if key == ("post", "/zaken"):
            return self._zaak_rules(body)
        if key == ("post", "/statussen"):
            zaak = self._zaak_of(body.get("zaak", ""))
            if zaak is None:
                return [contract.Problem(400, "zaak", "bad-url: geen ZAAK op deze URL")]
            if self.catalog.statustypen.get(body["statustype"]) != zaak["zaaktype"]:
                return [contract.Problem(400, "statustype", "zaaktype-mismatch of onbekend statustype")]
        if key in (("post", "/resultaten"), ("put", "/resultaten/{uuid}")):
            zaak = self._zaak_of(body.get("zaak", ""))
            if zaak is None:
                return [contract.Problem(400, "zaak", "bad-url: geen ZAAK op deze URL")]
            if self.catalog.resultaattypen.get(body["resultaattype"]) != zaak["zaaktype"]:
                return [contract.Problem(400, "resultaattype", "zaaktype-mismatch of onbekend resultaattype")]
            if key[0] == "post" and zaak["resultaat"]:
                return [contract.Problem(400, "zaak", "unique: deze ZAAK heeft al een RESULTAAT")]
            if key[0] == "put" and op.path_params["uuid"] not in self.resultaten:
                return [contract.Problem(404, "uuid", "Niet gevonden.")]
        return []

    def _zaak_rules(self, body: dict) -> list[contract.Problem]:
        problems = [contract.Problem(400, name, "invalid: geen geldig RSIN (11-proef)")
                    for name in ("bronorganisatie", "verantwoordelijkeOrganisatie") if not _rsin(body[name])]
        if body["zaaktype"] not in self.catalog.zaaktypen:
            problems.append(contract.Problem(400, "zaaktype", "bad-url: geen ZAAKTYPE op deze URL"))
        if any(z.get("identificatie") == body.get("identificatie") and z["bronorganisatie"] == body["bronorganisatie"]
               for z in self.zaken.values()):
            problems.append(contract.Problem(400, "identificatie", "identificatie-niet-uniek"))
        return problems

    def _zaak_of(self, url: str) -> dict | None:
        return next((zaak for zaak in self.zaken.values() if zaak["url"] == url), None)

    def _apply(self, op: contract.Operation, request: Request, body) -> tuple[int, dict]:
        key = (op.method, op.template)
        if key == ("post", "/zaken"):
            return 201, self._new_zaak(body)
        if key == ("post", "/statussen"):
            return 201, self._new_status(body)
        if key == ("post", "/resultaten"):
            return 201, self._new_resultaat(body)
        if key == ("put", "/resultaten/{uuid}"):
            stored = self.resultaten[op.path_params["uuid"]]
            stored.update({k: v for k, v in body.items() if k != "zaak"})
            return 200, stored
        if op.method == "get" and op.template in ("/zaken", "/statussen", "/resultaten"):
            return 200, self._page(op.template, request.args)
        if op.method == "get" and op.template == "/zaken/{uuid}" and op.path_params["uuid"] in self.zaken:
            return 200, self.zaken[op.path_params["uuid"]]
        return 404, _fout(404, "not-found", "Niet gevonden.")

    def _new_zaak(self, body: dict) -> dict:
        key = str(uuid.uuid4())
        zaak = {"url": f"{self.url}/zaken/{key}", "uuid": key, "identificatie": body.get("identificatie") or
                f"ZAAK-{len(self.zaken) + 1:06d}", "registratiedatum": datetime.now(UTC).date().isoformat(),
                "betalingsindicatieWeergave": "", "deelzaken": [], "eigenschappen": [], "einddatum": None,
                "resultaat": None, "rollen": [], "status": None, "zaakinformatieobjecten": [], "zaakobjecten": [],
                "archiefstatus": "nog_te_archiveren", "kenmerken": [], **body}
        self.zaken[key] = zaak
        return zaak

    def _new_status(self, body: dict) -> dict:
        key = str(uuid.uuid4())
        status = {"url": f"{self.url}/statussen/{key}", "uuid": key, "statustoelichting": "",
                  "indicatieLaatstGezetteStatus": True, "zaakinformatieobjecten": [], **body}
        for other in self.statussen.values():
            if other["zaak"] == body["zaak"]:
                other["indicatieLaatstGezetteStatus"] = False
        self.statussen[key] = status
        self._zaak_of(body["zaak"])["status"] = status["url"]
        return status

    def _new_resultaat(self, body: dict) -> dict:
        key = str(uuid.uuid4())
        resultaat = {"url": f"{self.url}/resultaten/{key}", "uuid": key, "toelichting": "", **body}
        self.resultaten[key] = resultaat
        self._zaak_of(body["zaak"])["resultaat"] = resultaat["url"]
        return resultaat

    def _page(self, template: str, args) -> dict:
        store = {"/zaken": self.zaken, "/statussen": self.statussen, "/resultaten": self.resultaten}[template]
        filters = {k: v for k, v in args.items() if k != "page"}
        hits = [item for item in store.values() if all(str(item.get(k)) == v for k, v in filters.items())]
        page = int(args.get("page", "1"))
        chunk = hits[(page - 1) * self.page_size: page * self.page_size]
        more = page * self.page_size < len(hits)
        next_url = f"{self.url}{template}?{urlencode({**filters, 'page': page + 1})}" if more else None
        previous = f"{self.url}{template}?{urlencode({**filters, 'page': page - 1})}" if page > 1 else None
        return {"count": len(hits), "next": next_url, "previous": previous, "results": chunk}

    def _answer(self, seen: Seen, op: contract.Operation | None, status: int, body: dict, *,
                documented: bool = True) -> Response:
        media = "application/json" if status < 400 else "application/problem+json"
        headers = {"API-version": API_VERSION, "Content-Type": media}
        if op is not None and op.template.startswith("/zaken") and status < 400:
            headers["Content-Crs"] = "EPSG:4326"
        if status == 201 and body.get("url"):
            headers["Location"] = body["url"]
        if op is not None and documented:
            problems = contract.response_problems(op, status, headers, body)
            if problems:
                self.answer_problems += [f"{seen.method} {seen.path} → {status}: {p}" for p in problems]
                status, body = 500, _fout(500, "fake-answer-invalid", "; ".join(problems)[:500])
        seen.status = status
        return Response(json.dumps(body), status=status, headers=headers)


def _json_or_none(data: bytes):
    try:
        return json.loads(data) if data else None
    except ValueError:
        return None


def _fout(status: int, code: str, detail: str) -> dict:
    return {"type": f"https://zaken.test/ref/fouten/{code}/", "code": code, "title": detail, "status": status,
            "detail": detail, "instance": f"urn:uuid:{uuid.uuid4()}"}


def _validatiefout(problems: list[contract.Problem]) -> dict:
    return {**_fout(400, "invalid", "Invalid input."),
            "invalidParams": [{"name": p.name, "code": "invalid", "reason": p.reason} for p in problems]}


def _rsin(value: str) -> bool:
    """The 11-proef a ZRC applies to an RSIN (written here on its own, not taken from the app)."""
    if not (isinstance(value, str) and len(value) == 9 and value.isdigit()):
        return False
    return (sum(int(value[i]) * (9 - i) for i in range(8)) - int(value[8])) % 11 == 0
