"""Our outbox events as Zaken API 1.5.1 requests (pure: no database, no HTTP).

Each event belongs to one Zaak: a plan's events to the plan's Zaak (zaaktype ZGW_ZAAKTYPE_PLAN), a filed complaint
to a Zaak of its own (ZGW_ZAAKTYPE_COMPLAINT). `registration` says which Zaak, the body to create it with when the
ZRC has none yet, the Status the event sets (statustype per stage from the settings), and for a result the goal's
verdict; `resultaat_request` turns the plan's verdicts into its one Resultaat. Only references, codes and dates go
out: no names, no free text of the family (omschrijving and toelichting are fixed Dutch phrases).
"""

from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import urlsplit

from app.core.clock import AMSTERDAM

EVENT_TYPES = ("plan.fixed", "assignment.requested", "care.started", "care.stopped", "result.achieved",
               "result.not_achieved", "complaint.filed")
STAGES = {"plan.fixed": "fixed", "assignment.requested": "help_requested", "care.started": "care_started",
          "care.stopped": "care_stopped", "complaint.filed": "complaint_received"}
VERTROUWELIJKHEID = "vertrouwelijk"  # a youth-care plan is special-category data (AVG art. 9)
BRON = "Ons Plan"
PLAN_OMSCHRIJVING = "Gezinsplan jeugdhulp"
SUBJECT_WORDS = {"municipality": "de gemeente", "professional": "de jeugdprofessional", "app": "de app Ons Plan"}
VERDICT_WORDS = {"achieved": "behaald", "partly": "deels behaald", "not_achieved": "niet behaald"}
RANK = {"not_achieved": 0, "partly": 1, "achieved": 2}  # the plan's Resultaat is its least favourable goal verdict
RSIN_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)


class MappingError(ValueError):
    """An event the adapter cannot turn into requests (its payload lacks what the Zaken API needs)."""


@dataclass(frozen=True)
class Registration:
    """What one event asks of the ZRC."""

    subject_type: str  # "plan" or "complaint"
    subject_id: str
    zaak: dict  # the POST /zaken body, sent only when this plan or complaint has no Zaak yet
    status: dict | None = None  # the POST /statussen body, without `zaak`
    verdict: tuple[str, str] | None = None  # (goal id, the family's verdict) of a result event


@dataclass(frozen=True)
class Skip:
    """The event is not for the ZRC (no RSIN for its municipality, no zaaktype configured)."""

    reason: str


def registration(event_type: str, payload: dict, settings: dict) -> Registration | Skip:
    """Map one outbox event to the Zaak it belongs to and what it sets on it."""
    if event_type not in EVENT_TYPES:
        return Skip(f"{event_type} is not registered in the ZRC")
    rsin = rsin_for(settings, payload.get("municipality_code", ""))
    if not rsin:
        return Skip(f"no RSIN (ZGW_BRONORGANISATIE) for municipality {payload.get('municipality_code')}")
    try:
        if event_type == "complaint.filed":
            return _complaint(payload, settings, rsin)
        return _plan_event(event_type, payload, settings, rsin)
    except (KeyError, TypeError, ValueError) as error:
        raise MappingError(f"{event_type}: {type(error).__name__}: {error}") from error


def _plan_event(event_type: str, payload: dict, settings: dict, rsin: str) -> Registration:
    at = _moment(event_type, payload)
    zaak = zaak_request(settings, rsin=rsin, zaaktype=settings["zaaktype_plan"], reference=payload["plan_id"],
                        startdatum=local_date(at), omschrijving=PLAN_OMSCHRIJVING)
    if event_type.startswith("result."):
        return Registration("plan", payload["plan_id"], zaak, verdict=(payload["goal_id"], payload["family_verdict"]))
    return Registration("plan", payload["plan_id"], zaak,
                        status=status_request(settings, STAGES[event_type], at, _status_note(event_type, payload)))


def _moment(event_type: str, payload: dict) -> str:
    """When the event happened: the Status's datumStatusGezet (and the start of a Zaak it has to create)."""
    field = {"plan.fixed": "fixed_at", "assignment.requested": "confirmed_at", "care.started": "recorded_at",
             "care.stopped": "recorded_at"}.get(event_type, "decided_at")
    return payload[field]


def _status_note(event_type: str, payload: dict) -> str:
    if event_type == "plan.fixed":
        return f"Gezinsplan vastgesteld (versie {payload['fixed_count']})"
    reference = f"toewijzing {payload['reference']}, doel {payload['goal_id']}"
    if event_type == "assignment.requested":
        return f"Verzoek om toewijzing verstuurd ({reference}, productcategorie {payload['product']['category']})"
    if event_type == "care.started":
        return f"Zorg gestart op {payload['started_on']} ({reference})"
    return f"Zorg gestopt op {payload['stopped_on']}, reden {payload['stop_reason']} (JZ588) ({reference})"


def _complaint(payload: dict, settings: dict, rsin: str) -> Registration | Skip:
    if not settings["zaaktype_complaint"]:
        return Skip("ZGW_ZAAKTYPE_COMPLAINT is not set: complaints are not registered")
    parts = payload["parts"]
    subjects = [word for subject, word in SUBJECT_WORDS.items() if any(p["subject"] == subject for p in parts)]
    zaak = zaak_request(settings, rsin=rsin, zaaktype=settings["zaaktype_complaint"], reference=payload["number"],
                        startdatum=local_date(payload["filed_at"]),
                        omschrijving="Klacht over " + ", ".join(subjects or ["de gemeente"]))
    zaak["uiterlijkeEinddatumAfdoening"] = max(date.fromisoformat(p["decide_by"]) for p in parts).isoformat()
    zaak["toelichting"] = (f"Klacht {payload['number']}, behandeld in Ons Plan (Awb titel 9.1); de inhoud staat "
                           "daar, niet in deze zaak.")
    return Registration("complaint", payload["complaint_id"], zaak,
                        status=status_request(settings, "complaint_received", payload["filed_at"], "Klacht ontvangen"))


def zaak_request(settings: dict, *, rsin: str, zaaktype: str, reference: str, startdatum: date,
                 omschrijving: str) -> dict:
    """The POST /zaken body: our identificatie (a retry finds the Zaak by it), RSINs, zaaktype, start, no names."""
    return {
        "identificatie": identificatie(settings, reference),
        "bronorganisatie": rsin,
        "verantwoordelijkeOrganisatie": settings["verantwoordelijke_organisatie"] or rsin,
        "zaaktype": zaaktype,
        "omschrijving": omschrijving[:80],
        "startdatum": startdatum.isoformat(),
        "vertrouwelijkheidaanduiding": VERTROUWELIJKHEID,
        "kenmerken": [{"kenmerk": reference[:40], "bron": BRON}],
    }


def status_request(settings: dict, stage: str, at: str, note: str) -> dict | None:
    """The POST /statussen body without `zaak`; None when no statustype is configured for the stage."""
    statustype = settings["statustypes"].get(stage) or ""
    if not statustype:
        return None
    return {"statustype": statustype, "datumStatusGezet": datetime.fromisoformat(at).isoformat(),
            "statustoelichting": note[:1000]}


def resultaat_request(settings: dict, zaak_url: str, verdicts: dict[str, str]) -> dict | None:
    """The plan's one Resultaat: its least favourable goal verdict, each goal's verdict in the toelichting; None
    when no resultaattype is configured for it ("partly" falls back to "not_achieved")."""
    if not verdicts:
        return None
    combined = min(verdicts.values(), key=RANK.__getitem__)
    types = settings["resultaattypes"]
    resultaattype = types.get(combined) or (types.get("not_achieved", "") if combined == "partly" else "")
    if not resultaattype:
        return None
    goals = "; ".join(f"doel {goal}: {VERDICT_WORDS[verdict]}" for goal, verdict in sorted(verdicts.items()))
    return {"zaak": zaak_url, "resultaattype": resultaattype,
            "toelichting": f"Oordeel van het gezin per doel: {goals}"[:1000]}


def identificatie(settings: dict, reference: str) -> str:
    """Our identificatie of the Zaak: the prefix and our plan id or complaint number (unique per bronorganisatie)."""
    return f"{settings['identificatie_prefix']}{reference}"[:40]


def rsin_for(settings: dict, municipality_code: str) -> str:
    """The bronorganisatie for a municipality (CBS code): its own RSIN, or the one for all ("*")."""
    rsins = settings["bronorganisatie"]
    return rsins.get(municipality_code) or rsins.get("*", "")


def local_date(moment: str) -> date:
    """The day in Europe/Amsterdam of an ISO 8601 moment (our payloads carry UTC)."""
    return datetime.fromisoformat(moment).astimezone(AMSTERDAM).date()


def valid_rsin(value: str) -> bool:
    """Nine digits passing the 11-proef, as the Zaken API checks bronorganisatie."""
    if len(value) != 9 or not value.isdigit() or value == "000000000":
        return False
    return sum(int(d) * w for d, w in zip(value, RSIN_WEIGHTS, strict=True)) % 11 == 0


def settings_problems(settings: dict) -> list[str]:
    """What keeps the adapter from running with these settings (empty: ready)."""
    problems = []
    if not _is_url(settings["zrc_url"]):
        problems.append("ZGW_ZRC_URL must be the http(s) base URL of the Zaken API (…/zaken/api/v1)")
    if not settings["client_id"]:
        problems.append("ZGW_CLIENT_ID is required")
    if len(settings["secret"]) < 16:
        problems.append("ZGW_SECRET is required: at least 16 characters (it signs the HS256 JWT)")
    rsins = settings["bronorganisatie"]
    if not rsins:
        problems.append("ZGW_BRONORGANISATIE is required: the municipality's RSIN")
    problems += [f"ZGW_BRONORGANISATIE: {rsin!r} ({code}) is not a valid RSIN" for code, rsin in rsins.items()
                 if not valid_rsin(rsin)]
    if settings["verantwoordelijke_organisatie"] and not valid_rsin(settings["verantwoordelijke_organisatie"]):
        problems.append("ZGW_VERANTWOORDELIJKE_ORGANISATIE is not a valid RSIN")
    if not _is_url(settings["zaaktype_plan"]):
        problems.append("ZGW_ZAAKTYPE_PLAN must be the URL of the plan's zaaktype in the Catalogi API")
    urls = {"ZGW_ZAAKTYPE_COMPLAINT": settings["zaaktype_complaint"]}
    urls |= {f"ZGW_STATUSTYPE_{k.upper()}": v for k, v in settings["statustypes"].items()}
    urls |= {f"ZGW_RESULTAATTYPE_{k.upper()}": v for k, v in settings["resultaattypes"].items()}
    problems += [f"{name} must be a URL" for name, url in urls.items() if url and not _is_url(url)]
    if len(settings["identificatie_prefix"]) > 20:
        problems.append("ZGW_IDENTIFICATIE_PREFIX is at most 20 characters (identificatie is at most 40)")
    return problems


def _is_url(value: str) -> bool:
    parts = urlsplit(value or "")
    return parts.scheme in ("http", "https") and bool(parts.netloc)
