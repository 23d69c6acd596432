"""Every route × every kind of actor, with the expected status written out in one table.

Another family's ids answer 404 (not 403): nobody learns that a family exists. A new route without a row here
fails test_every_route_is_in_the_matrix.
"""

import contextlib
import sqlite3

import pytest
from sqlmodel import select

from app.catalog.models import Offer, ProviderContract
from app.extensions import db
from app.identity.models import Family, Membership, Person, StaffMembership
from app.identity.policy import Actor, Role
from app.invitations.services import create_invitation
from app.notifications.models import Notification
from app.plans.models import Plan, PlanItem
from tests.conftest import CSRF_FIELD, demo_id, family_id, sign_in_person

ACTORS = ["anon", "noor", "tom", "lisa", "sanne", "pieter", "fenna", "mark", "anna", "karin", "jeroen"]
# Who they are: noor 9, tom 14, lisa 16 (youths); sanne parent with custody; pieter parent without custody;
# fenna network; mark this family's professional; anna another family's professional; karin provider staff
# (Tom's goal about switching homes is assigned to her organisation, so she reaches the family but sees only
# that goal); jeroen municipality staff.

ALL_200 = [200] * 11
SIGNED_IN = [303] + [200] * 10
PROFESSIONALS_ONLY_PAGE = [303, 303, 303, 303, 303, 303, 303, 200, 200, 303, 303]

GET = {
    "/": ALL_200,
    "/hulp": ALL_200,
    "/offline": ALL_200,
    "/healthz": ALL_200,
    "/readyz": ALL_200,
    "/manifest.webmanifest": ALL_200,
    "/service-worker.js": ALL_200,
    "/robots.txt": ALL_200,
    "/.well-known/security.txt": ALL_200,
    "/favicon.ico": ALL_200,
    "/apple-touch-icon.png": ALL_200,
    "/apple-touch-icon-precomposed.png": ALL_200,
    "/demo": ALL_200,
    "/demo/mail": ALL_200,
    "/uitnodiging": ALL_200,
    "/uitnodiging/accepteren": [404] * 11,
    "/uitnodiging/{token}": [303] * 11,
    "/inloggen": ALL_200,
    "/inloggen/{provider}": [404] * 11,
    "/inloggen/{provider}/terug": [404] * 11,
    "/profiel": SIGNED_IN,
    "/mijn-gegevens": SIGNED_IN,  # what exists about yourself, as far as you may see it
    "/toestemming": SIGNED_IN,
    "/gezinnen": PROFESSIONALS_ONLY_PAGE,
    "/gezinnen/nieuw": PROFESSIONALS_ONLY_PAGE,
    #                                 anon noor tom  lisa sanne piet fenna mark anna karin jeroen
    "/gezinnen/{fam}":               [303, 200, 200, 200, 200, 200, 200, 200, 404, 200, 404],
    "/gezinnen/{fam}/uitnodigen":    [303, 403, 403, 403, 403, 403, 403, 200, 404, 403, 404],
    # the question before withdrawing the open invitation (the POST below withdraws it)
    "/gezinnen/{fam}/uitnodigingen/{inv}/intrekken": [303, 403, 403, 403, 403, 403, 403, 200, 404, 403, 404],
    "/gezinnen/{fam}/wie-heeft-gekeken": [303, 200, 200, 200, 200, 404, 404, 200, 404, 404, 404],
    "/toestemming/zestien/{fam}":    [303, 404, 404, 200, 404, 404, 404, 404, 404, 404, 404],
    "/gezinnen/{other}":             [303, 404, 404, 404, 404, 404, 404, 404, 200, 404, 404],
    "/plan/{plan}":                  [303, 200, 200, 200, 200, 200, 200, 200, 404, 200, 404],
    "/plan/{plan}/aanwezig":         [303, 200, 200, 200, 200, 200, 200, 200, 404, 200, 404],
    "/plan/{plan}/live":             [303, 200, 200, 200, 200, 200, 200, 200, 404, 200, 404],
    # nginx says a page it held closed: a random channel name only nginx knows; any other changes nothing
    "/plan/live/gesloten/{channel}": [204] * 11,
    # the agreement parts the live page fetches: only what the reader may see (their own blocks)
    "/plan/{plan}/akkoord":          [303, 200, 200, 200, 200, 200, 200, 200, 404, 200, 404],
    "/plan/{other_plan}":            [303, 404, 404, 404, 404, 404, 404, 404, 200, 404, 404],
    "/plan/{plan}/afdrukken":        [303, 200, 200, 200, 200, 200, 200, 200, 404, 200, 404],
    "/plan/{plan}/plan.pdf":         [303, 200, 200, 200, 200, 200, 200, 200, 404, 200, 404],
    "/plan/{plan}/plan.fhir.json":   [303, 200, 200, 200, 200, 200, 200, 200, 404, 200, 404],
    "/plan/{other_plan}/afdrukken":  [303, 404, 404, 404, 404, 404, 404, 404, 200, 404, 404],
    "/overzicht":                    [303, 303, 303, 303, 303, 303, 303, 200, 200, 303, 303],
    # the provider's work list: provider staff only (the others are sent to their home page)
    "/werk":                         [303, 303, 303, 303, 303, 303, 303, 303, 303, 200, 303],
    # a family-wide strength written by Sanne
    "/plan/{plan}/onderdelen/{item}":              [303, 200, 200, 200, 200, 404, 404, 200, 404, 404, 404],
    "/plan/{plan}/onderdelen/{item}/bewerken":     [303, 403, 200, 200, 200, 404, 404, 200, 404, 404, 404],
    "/plan/{plan}/onderdelen/{item}/geschiedenis": [303, 200, 200, 200, 200, 404, 404, 200, 404, 404, 404],
    # a worry about Tom (14): only the professional may withhold it from the parents
    "/plan/{plan}/onderdelen/{tom_item}/zichtbaarheid": [303, 404, 404, 404, 404, 404, 404, 200, 404, 404, 404],
    # one's own statement on that worry: the betrokkenen (Tom, 14, and his parents with custody), not the professional
    "/plan/{plan}/onderdelen/{tom_item}/verklaring": [303, 404, 200, 404, 200, 404, 404, 404, 404, 404, 404],
    # a worry about Lisa (16), not shared with her parents
    "/plan/{plan}/onderdelen/{lisa_item}":         [303, 404, 404, 200, 404, 404, 404, 200, 404, 404, 404],
    "/gezinnen/{other}/wie-heeft-gekeken": [303, 404, 404, 404, 404, 404, 404, 404, 200, 404, 404],
    # asking to destroy Tom's worry: what it means and who must ask (Tom, 14, and his parents with custody); the
    # professional reads that only they may ask; whoever may not see the worry does not learn it exists
    "/mijn-gegevens/{plan}/vernietigen/{tom_item}": [303, 404, 200, 404, 200, 404, 404, 200, 404, 404, 404],
    "/mijn-gegevens/{plan}/vernietigen": [303, 200, 200, 200, 200, 200, 200, 200, 404, 200, 404],
    # Lisa's request to destroy her worry: for the family's professional to decide
    "/dossierverzoeken/{destruction}": [303, 404, 404, 404, 404, 404, 404, 200, 404, 404, 404],
    # the data protection officer's counts: auditors and the functional manager
    "/dossierverzoeken":             [303, 303, 303, 303, 303, 303, 303, 303, 303, 303, 200],
    # Noor's child view: Noor, and on their own phone her parents with custody and the professional
    "/plan/{plan}/kind/{noor}":      [303, 200, 404, 404, 200, 404, 404, 200, 404, 404, 404],
    # the check-ins part of the plan page: whoever opens the plan (it holds only what the reader may see)
    "/plan/{plan}/hoe-gaat-het":     [303, 200, 200, 200, 200, 200, 200, 200, 404, 200, 404],
    # a youth's own view; Noor (9) is sent on to her child view
    "/plan/{plan}/mijn":             [303, 303, 200, 200, 404, 404, 404, 404, 404, 404, 404],
    "/meldingen": SIGNED_IN,
    "/meldingen/instellingen": SIGNED_IN,
    "/meldingen/teller": SIGNED_IN,
    # Sanne's notification that her agreement is asked: opening it leads her to the plan; for others it does not exist
    "/meldingen/{note}":             [303, 404, 404, 404, 303, 404, 404, 404, 404, 404, 404],
    # the catalog is public: a family may look before it has an account
    "/catalogus":                    ALL_200,
    "/catalogus/aanbod/{offer}":     ALL_200,
    "/catalogus/aanbieders/{provider_id}": ALL_200,
    "/catalogus/vergelijken":        ALL_200,
    # confirming the help chosen for Tom's school goal: only his professional (nothing is waiting yet: back to the plan)
    "/catalogus/doel/{goal}/bevestigen": [303, 404, 403, 404, 403, 404, 404, 303, 404, 404, 404],
    # the help block of that goal, as the live plan page fetches it: who may see the goal
    "/catalogus/doel/{goal}/hulp":   [303, 404, 200, 404, 200, 404, 404, 200, 404, 404, 404],
    # ratings: Tom's ended help at Kompas is rated by those who may see his goal (Tom and his parents with custody)
    # the result of Tom's goal about switching homes (help by Karin's organisation, ended): who may see the goal
    "/doel/{ended_goal}/resultaat":  [303, 404, 200, 404, 200, 404, 404, 200, 404, 200, 404],
    "/beoordelen":                   SIGNED_IN,
    "/beoordelen/{tom_help}":        [303, 404, 200, 404, 200, 404, 404, 404, 404, 404, 404],
    "/beoordelingen/uitleg":         ALL_200,
    "/aanbieder/beoordelingen":      [303, 403, 403, 403, 403, 403, 403, 403, 403, 200, 403],
    "/redactie":                     [303, 403, 403, 403, 403, 403, 403, 403, 403, 403, 200],  # jeroen: redactie
    "/redactie/jeugdprofessionals":  [303, 403, 403, 403, 403, 403, 403, 403, 403, 403, 200],
    # complaints: the ways to complain are public; family members (not staff) file; Tom's complaint about Kompas
    # is his alone; Karin (Kompas) handles its part, Jeroen's municipality does not
    "/klachten":                     ALL_200,
    "/klachten/nieuw":               [303, 200, 200, 200, 200, 200, 200, 403, 403, 403, 403],
    "/klachten/{complaint}":         [303, 404, 200, 404, 404, 404, 404, 404, 404, 404, 404],
    "/klachten/{complaint}/bijlagen/{attachment}": [303, 404, 200, 404, 404, 404, 404, 404, 404, 404, 404],
    "/klachten/behandelen":          [303, 403, 403, 403, 403, 403, 403, 403, 403, 200, 200],
    "/klachten/behandelen/{part}":   [303, 404, 404, 404, 404, 404, 404, 404, 404, 200, 404],
    "/klachten/behandelen/{part}/bijlagen/{attachment}": [303, 404, 404, 404, 404, 404, 404, 404, 404, 200, 404],
    # the monitor: municipality staff of their own municipality only (aggregates, never a family)
    "/monitor":                      [303, 403, 403, 403, 403, 403, 403, 403, 403, 403, 200],
    "/monitor.csv":                  [303, 403, 403, 403, 403, 403, 403, 403, 403, 403, 200],
    # the municipality's API: its description is public; a browser session is no API credential (401 for everyone:
    # the API takes bearer tokens only, proven in tests/api); unknown API paths answer a problem, not a page
    "/api/v1/openapi.json":          ALL_200,
    "/api/v1/docs":                  ALL_200,
    # the pages behind the problems' `type` URIs: public, like the docs
    "/api/v1/problems":              ALL_200,
    "/api/v1/problems/{problem}":    ALL_200,
    "/api/v1/plans/{plan}/status":   [401] * 11,
    "/api/v1/{rest}":                [404] * 11,
    # deliveries to the municipality: its staff only (the demo family's first outbox event)
    "/beheer/sync":                  [303, 403, 403, 403, 403, 403, 403, 403, 403, 403, 200],
    "/beheer/sync/{event}":          [303, 403, 403, 403, 403, 403, 403, 403, 403, 403, 200],
    # running Ons Plan: Jeroen is the municipality's functional manager; Kompas (Karin's provider) is one of its
    # organisations. Others are sent home from the overview and refused an organisation's page.
    "/beheer":                       [303] * 10 + [200],
    "/beheer/organisaties/nieuw":    [303] * 10 + [200],
    "/beheer/organisaties/{org}":    [303] + [403] * 9 + [200],
    "/beheer/organisaties/{org}/uitnodigen": [303] + [403] * 9 + [200],
    "/beheer/toegangslog":           [303] * 10 + [200],
    "/beheer/medewerkers/{staff}/verwijderen": [303] + [403] * 9 + [200],  # the question before ending Karin's role
    "/beheer/zoekwoorden":           [303] + [403] * 9 + [200],  # the catalog search's thesaurus (issue 24)
}
POST = {
    #                                 anon noor tom  lisa sanne piet fenna mark anna karin jeroen
    "/gezinnen/{fam}/uitnodigingen/{inv}/intrekken": [303, 403, 403, 403, 403, 403, 403, 303, 404, 403, 404],
    "/gezinnen/{fam}/uitnodigen":    [303, 403, 403, 403, 403, 403, 403, 303, 404, 403, 404],
    "/toestemming/{fam}/{tom}":      [303, 403, 303, 403, 303, 403, 403, 403, 404, 403, 404],
    "/toestemming/{fam}/{lisa}":     [303, 403, 403, 303, 403, 403, 403, 403, 404, 403, 404],
    "/toestemming/zestien/{fam}":    [303, 404, 404, 303, 404, 404, 404, 404, 404, 404, 404],
    "/plan/{plan}/spreker":          [303, 403, 403, 403, 403, 403, 403, 303, 404, 403, 404],
    # a worry: Noor (9) may add one too, as her voice (her houses: good things, worries, wishes)
    "/plan/{plan}/onderdelen/{kind}": [303, 303, 303, 303, 303, 403, 403, 303, 404, 403, 404],
    "/plan/{plan}/onderdelen/{item}/bewerken": [303, 403, 422, 422, 422, 404, 404, 422, 404, 404, 404],
    # Fenna's task under Noor's goal: it is about Noor, so her brother and sister do not reach it
    "/plan/{plan}/onderdelen/{action}/klaar": [303, 403, 404, 404, 303, 404, 303, 303, 404, 404, 404],
    "/plan/{plan}/onderdelen/{item}/terugzetten/1": [303, 404, 303, 303, 303, 404, 404, 303, 404, 404, 404],
    "/plan/{plan}/onderdelen/{tom_item}/zichtbaarheid": [303, 404, 403, 404, 403, 404, 404, 303, 404, 404, 404],
    "/plan/{plan}/akkoord-vragen":   [303, 403, 403, 403, 403, 403, 403, 303, 404, 403, 404],
    "/plan/{plan}/akkoord":          [303, 403, 303, 303, 303, 403, 403, 403, 404, 403, 404],
    # Noor's houses and check-in: in her name, by her or her parents with custody or the professional
    "/plan/{plan}/kind/{noor}/huis/{kind}": [303, 303, 404, 404, 303, 404, 404, 303, 404, 404, 404],
    "/plan/{plan}/kind/{noor}/hoe-gaat-het": [303, 303, 404, 404, 303, 404, 404, 303, 404, 404, 404],
    # the youth view's forms: for Tom and Lisa themselves (the plan's agreement, their own words, Tom's own task,
    # Lisa sharing her worry with her parents)
    "/plan/{plan}/mijn/akkoord":     [303, 404, 303, 303, 404, 404, 404, 404, 404, 404, 404],
    "/plan/{plan}/mijn/eigen-woorden": [303, 404, 303, 303, 404, 404, 404, 404, 404, 404, 404],
    "/plan/{plan}/mijn/klaar/{tom_action}": [303, 404, 303, 404, 404, 404, 404, 404, 404, 404, 404],
    "/plan/{plan}/mijn/zichtbaarheid/{lisa_item}": [303, 404, 404, 303, 404, 404, 404, 404, 404, 404, 404],
    # the whole plan or one's own view: a setting of the person, for whoever opens the plan
    "/plan/{plan}/weergave":         [303, 303, 303, 303, 303, 303, 303, 303, 404, 303, 404],
    # one's own statement on the dossier as a whole: parents with custody and youths from 12 (not Noor, 9)
    "/mijn-gegevens/{plan}/verklaring": [303, 403, 303, 303, 303, 403, 403, 403, 404, 403, 404],
    # asking to destroy Tom's worry: the betrokkenen by the age rules (422: told who may ask instead)
    "/mijn-gegevens/{plan}/vernietigen/{tom_item}": [303, 404, 303, 404, 303, 404, 404, 422, 404, 404, 404],
    # the whole dossier: the betrokkenen of every youth (parents with custody, Tom and Lisa), not Noor (9)
    "/mijn-gegevens/{plan}/vernietigen": [303, 422, 303, 303, 303, 422, 422, 422, 404, 422, 404],
    # deciding without choosing (422 for the professional); nobody else reaches it
    "/dossierverzoeken/{destruction}": [303, 404, 404, 404, 404, 404, 404, 422, 404, 404, 404],
    # (before "sign out everywhere" below, which ends the sessions these clients use)
    "/meldingen/instellingen":       [303] * 11,
    "/meldingen/alles-gelezen":      [303] * 11,
    "/meldingen/{note}/gelezen":     [303, 404, 404, 404, 303, 404, 404, 404, 404, 404, 404],
    # following Tom's school goal: whoever may see it (not his sisters, the network or a parent without custody)
    "/plan/{plan}/onderdelen/{goal}/volgen": [303, 404, 303, 404, 303, 404, 404, 303, 404, 404, 404],
    # choosing help for Tom's school goal: those whose consent it needs (Tom, 14, and his parents with custody)
    "/catalogus/aanbod/{offer}/kiezen": [303, 404, 303, 404, 303, 404, 404, 403, 404, 404, 404],
    "/catalogus/doel/{goal}/bevestigen": [303, 404, 403, 404, 403, 404, 404, 303, 404, 404, 404],
    "/beoordelen/{tom_help}":        [303, 404, 303, 404, 303, 404, 404, 404, 404, 404, 404],
    # a published rating of another family at Kompas: Karin replies; anyone reports it (hidden); the redactie
    # publishes a reported one again, and cannot reject without naming the rule it breaks (422)
    "/beoordelingen/{rating}/reactie": [303, 403, 403, 403, 403, 403, 403, 403, 403, 404, 403],
    "/beoordelingen/{rating}/melden": [303] * 11,
    "/redactie/{reported_rating}/publiceren": [303, 403, 403, 403, 403, 403, 403, 403, 403, 403, 303],
    "/redactie/{rating}/afwijzen":   [303, 403, 403, 403, 403, 403, 403, 403, 403, 403, 422],
    # a new organisation or a staff invitation without its fields (422 for the functional manager); ending Karin's role
    "/beheer/organisaties/nieuw":    [303] + [403] * 9 + [422],
    "/beheer/organisaties/{org}/uitnodigen": [303] + [403] * 9 + [422],
    "/beheer/medewerkers/{staff}/verwijderen": [303] + [403] * 9 + [303],
    "/beheer/zoekwoorden":           [303] + [403] * 9 + [422],  # a text that is no thesaurus, without a note
    # judging Tom's ended help (the posted form has no verdict: 422 for those who judge); Mark's conversation is saved
    "/doel/{ended_goal}/resultaat":  [303, 404, 422, 404, 422, 404, 404, 422, 404, 422, 404],
    "/doel/{ended_goal}/resultaat/correctie": [303, 404, 403, 404, 403, 404, 404, 422, 404, 403, 404],
    "/doel/{ended_goal}/resultaat/gesprek": [303, 404, 403, 404, 403, 404, 404, 303, 404, 403, 404],
    "/doel/{ended_goal}/resultaat/uitkomst": [303, 404, 422, 404, 422, 404, 404, 403, 404, 403, 404],
    # start and end are recorded already: Karin's second try is refused with a reason
    "/doel/{ended_goal}/zorg/start": [303, 404, 403, 404, 403, 404, 404, 403, 404, 422, 404],
    "/doel/{ended_goal}/zorg/stop":  [303, 404, 403, 404, 403, 404, 404, 403, 404, 422, 404],
    # giving Tom's goal at Kompas to a colleague (Karin takes it herself): provider staff of Kompas only; anyone
    # else is no provider staff at all (403); another provider's goal answers 404 (tests/caseload)
    "/werk/doel/{ended_goal}/behandelaar": [303, 403, 403, 403, 403, 403, 403, 403, 403, 303, 403],
    # complaints (see GET): the upload has no file and the satisfaction question comes after closure (422 for Tom);
    # Karin's judgement has no outcome and closing needs one (422)
    "/klachten/nieuw":               [303, 303, 303, 303, 303, 303, 303, 403, 403, 403, 403],
    "/klachten/{complaint}/berichten": [303, 404, 303, 404, 404, 404, 404, 404, 404, 404, 404],
    "/klachten/{complaint}/bijlagen": [303, 404, 422, 404, 404, 404, 404, 404, 404, 404, 404],
    "/klachten/{complaint}/tevreden": [303, 404, 422, 404, 404, 404, 404, 404, 404, 404, 404],
    "/klachten/behandelen/{part}/toewijzen": [303, 404, 404, 404, 404, 404, 404, 404, 404, 303, 404],
    "/klachten/behandelen/{part}/status": [303, 404, 404, 404, 404, 404, 404, 404, 404, 303, 404],
    "/klachten/behandelen/{part}/berichten": [303, 404, 404, 404, 404, 404, 404, 404, 404, 303, 404],
    "/klachten/behandelen/{part}/termijn": [303, 404, 404, 404, 404, 404, 404, 404, 404, 303, 404],
    "/klachten/behandelen/{part}/oordeel": [303, 404, 404, 404, 404, 404, 404, 404, 404, 422, 404],
    "/klachten/behandelen/{part}/afhandelen": [303, 404, 404, 404, 404, 404, 404, 404, 404, 422, 404],
    # passing on without a reason is refused (422): the part stays Karin's for the rows above
    "/klachten/behandelen/{part}/doorsturen": [303, 404, 404, 404, 404, 404, 404, 404, 404, 422, 404],
    # the provider's reaction comes after the judgement, which is not recorded: 422 for Karin
    "/klachten/behandelen/{part}/reactie": [303, 404, 404, 404, 404, 404, 404, 404, 404, 422, 404],
    # sending an event again: only a dead one (this one is pending: 422 for the municipality)
    "/beheer/sync/{event}/opnieuw":  [303, 403, 403, 403, 403, 403, 403, 403, 403, 403, 422],
    "/gezinnen/nieuw":               [303, 403, 403, 403, 403, 403, 403, 303, 303, 403, 403],
    "/profiel":                      [303, 303, 303, 303, 303, 303, 303, 303, 303, 303, 303],
    "/taal":                         [303] * 11,
    "/uitloggen/overal":             [303] * 11,
    "/uitloggen":                    [303] * 11,
    "/uitnodiging":                  [422] * 11,
    "/uitnodiging/accepteren":       [404] * 11,
    "/uitnodiging/accepteren-demo":  [404] * 11,
    "/demo/inloggen/{key}":          [303] * 11,
    "/api/v1/assignments/{reference}/decision": [401] * 11,
    "/api/v1/assignments/{reference}/care-start": [401] * 11,
    "/api/v1/assignments/{reference}/care-stop": [401] * 11,
    "/api/v1/{rest}":                [404] * 11,
}


def build_world(tmp_path_factory) -> tuple:
    """The demo family plus a parent without custody, another family with its own professional, an invitation, a
    complaint with a file, a published and a reported rating, an outbox event: (app, ids, values)."""
    from tests.conftest import make_app

    app = make_app(MAIL_DIR=str(tmp_path_factory.mktemp("mail")), RATELIMIT_ENABLED=False, with_plan=True,
                   COMPLAINT_FILES_DIR=str(tmp_path_factory.mktemp("complaint-files")))
    ids = {key: demo_id(app, key) for key in ("noor", "tom", "lisa", "sanne", "fenna", "mark", "karin", "jeroen")}
    fam = family_id(app)
    with app.test_request_context(), db.new_session() as session:
        pieter = Person(given_name="Pieter", family_name="Bos")
        anna = Person(given_name="Anna", family_name="Smit")
        session.add_all([pieter, anna])
        session.flush()
        session.add(Membership(family_id=fam, person_id=pieter.id, role="parent", has_custody=False))
        team = session.exec(select(StaffMembership).where(StaffMembership.person_id == ids["mark"])).one()
        session.add(StaffMembership(organisation_id=team.organisation_id, person_id=anna.id, role="professional"))
        other = Family(name="Other family", municipality_id=session.get(Family, fam).municipality_id)
        session.add(other)
        session.flush()
        other_plan = Plan(family_id=other.id)
        session.add(other_plan)
        session.add(Membership(family_id=other.id, person_id=anna.id, role="professional"))
        made = create_invitation(session, actor=Actor(ids["mark"], Role.PROFESSIONAL), family_id=fam, role="network",
                                 has_custody=False, given_name="Jikke", family_name="", birthdate=None, email=None,
                                 language="nl")
        ids.update(pieter=pieter.id, anna=anna.id)
        plan = session.exec(select(Plan).where(Plan.family_id == fam)).one()
        plan_items = session.exec(select(PlanItem).where(PlanItem.plan_id == plan.id)).all()
        strength = next(i for i in plan_items if i.kind == "strength" and i.youth_id is None)
        tom_item = next(i for i in plan_items if i.kind == "worry" and i.youth_id == ids["tom"])
        lisa_item = next(i for i in plan_items if i.kind == "worry" and i.youth_id == ids["lisa"])
        action = next(i for i in plan_items if i.kind == "action" and i.owner_id == ids["fenna"])
        goal = next(i for i in plan_items if i.kind == "goal" and i.youth_id == ids["tom"] and i.domain == "school")
        note = session.exec(select(Notification).where(Notification.person_id == ids["sanne"],
                                                       Notification.topic == "agreement_asked")).one()
        values = {"fam": fam, "other": other.id, "inv": made.invitation.id, "token": made.token, "channel": "made-up",
                  "tom": ids["tom"], "lisa": ids["lisa"], "noor": ids["noor"], "key": "tom", "provider": "citizens",
                  "plan": plan.id, "other_plan": other_plan.id, "item": strength.id, "tom_item": tom_item.id,
                  "lisa_item": lisa_item.id, "action": action.id, "kind": "worry",
                  "goal": goal.id, "note": note.id,
                  "tom_action": next(i for i in plan_items if i.kind == "action" and i.owner_id == ids["tom"]).id,
                  "ended_goal": next(i for i in plan_items if i.kind == "goal" and i.youth_id == ids["tom"]
                                     and i.domain == "parenting").id}
        family = session.get(Family, fam)
        offer = session.exec(select(Offer).join(ProviderContract, ProviderContract.provider_id == Offer.provider_id)
                             .where(ProviderContract.municipality_id == family.municipality_id,
                                    Offer.age_min <= 14, Offer.age_max >= 14).order_by(Offer.id)).first()
        values.update(offer=offer.id, provider_id=offer.provider_id)
        from app.catalog.models import Assignment, Provider
        from app.ratings.models import Rating

        kompas = session.exec(select(Provider).where(Provider.external_id == "demo-p000")).one()
        values.update(tom_help=session.exec(select(Assignment.id).where(
            Assignment.family_id == fam, Assignment.organisation_id == kompas.organisation_id)).one(),
            rating=session.exec(select(Rating.id).where(Rating.status == "published").order_by(Rating.id)).first())
        from app.ratings import moderation

        reported = session.exec(select(Rating.id).where(Rating.status == "published", Rating.id != values["rating"])
                                .order_by(Rating.id)).first()
        moderation.report(session, person=session.get(Person, ids["sanne"]), rating_id=reported)
        values["reported_rating"] = reported  # hidden until the redactie looks at it again
        values.update(_tom_complaint(session, session.get(Person, ids["tom"]), kompas.id), karin=ids["karin"])
        values.update(reference=session.exec(select(Assignment.reference).where(
            Assignment.id == values["tom_help"])).one(), rest="nothing-here", problem="not-found")
        from app.outbox.models import OutboxEvent

        values["event"] = session.exec(select(OutboxEvent.id).order_by(OutboxEvent.id)).first()
        values["org"] = kompas.organisation_id
        values["destruction"] = _lisas_request(session, plan, lisa_item, ids["lisa"])
        values["staff"] = session.exec(select(StaffMembership.id).where(StaffMembership.person_id == ids["karin"],
                                                                        StaffMembership.organisation_id ==
                                                                        kompas.organisation_id)).one()
    return app, ids, values


def _lisas_request(session, plan, item, lisa_id: str) -> str:
    """Lisa (16) asked to destroy her worry: the request waits for the professional's decision."""
    from app.dossier import services as dossier
    from app.plans.context import plan_context

    ctx = plan_context(session, person=session.get(Person, lisa_id), plan_id=plan.id)
    return dossier.ask_destruction(session, ctx=ctx, item_id=item.id).id


@pytest.fixture(scope="module")
def built_world(tmp_path_factory):
    """The world, built once for the module, with a copy of its database as built (see `world`)."""
    app, ids, values = build_world(tmp_path_factory)
    built = sqlite3.connect(":memory:", check_same_thread=False)
    with app.app_context(), _raw(app) as live:
        live.backup(built)
    yield app, ids, values, built
    built.close()


@contextlib.contextmanager
def _raw(app):
    """The in-memory database's one shared sqlite3 connection."""
    raw = db.engine.raw_connection()
    try:
        yield raw.driver_connection
    finally:
        raw.close()


@pytest.fixture
def world(built_world):
    """The world as built, for each test: a post that changes it (publishing a rating, closing a complaint) must
    not change the answer another actor's test expects, whatever order or worker they run in."""
    app, ids, values, built = built_world
    with app.app_context(), _raw(app) as live:
        built.backup(live)
    return app, ids, values


def client_for(app, ids, actor):
    client = app.test_client()
    if actor != "anon":
        sign_in_person(client, ids[actor])
    return client


def token(client) -> str:
    return CSRF_FIELD.search(client.get("/hulp").get_data(as_text=True)).group(1)


POST_DATA = {"lang": "fy", "next": "/", "given_name": "Naam", "language": "nl", "name": "Gezin Test",
             "code": "AAAA-AAAA", "role": "network", "text": "Iets nieuws", "version": "999", "done": "1",
             "change": "withhold", "reason": "Niet goed voor Tom nu",
             "consulted": "Hiske de Vries, gedragswetenschapper", "opinion": "Eens", "decision": "agree", "goal_id": "",
             "speaker_id": ""}


def _tom_complaint(session, tom, kompas_id: int) -> dict:
    """Tom's complaint about Kompas with a PDF: the ids of the complaint, its part and the file."""
    import io

    from werkzeug.datastructures import FileStorage

    from app.complaints import files, services

    complaint = services.file_complaint(session, person=tom, about=[f"provider:{kompas_id}"], text="Te faak ôfsein",
                                        client_id="matrix-complaint-1")
    attachment = files.add_attachment(session, person=tom, complaint=complaint,
                                      upload=FileStorage(io.BytesIO(b"%PDF-1.4 test"), filename="brief.pdf"))
    return {"complaint": complaint.id, "part": complaint.parts[0].id, "attachment": attachment.id,
            "kompas": kompas_id}


ROUTE_DATA = {"/catalogus/aanbod/{offer}/kiezen": lambda values: {"goal_id": values["goal"]},
              "/plan/{plan}/kind/{noor}/huis/{kind}": lambda values: {"worry-picture": "scared"},
              "/plan/{plan}/kind/{noor}/hoe-gaat-het": lambda values: {"face": "3"},
              "/plan/{plan}/mijn/zichtbaarheid/{lisa_item}": lambda values: {"change": "share"},
              "/plan/{plan}/weergave": lambda values: {"view": "adult"},
              "/beoordelen/{tom_help}": lambda values: {"overall": "8"},
              "/klachten/nieuw": lambda values: {"about": f"provider:{values['kompas']}"},
              "/klachten/{complaint}/berichten": lambda values: {"part_id": values["part"]},
              "/klachten/{complaint}/tevreden": lambda values: {"part_id": values["part"], "answer": "yes"},
              "/klachten/behandelen/{part}/toewijzen": lambda values: {"handler_id": values["karin"]},
              "/werk/doel/{ended_goal}/behandelaar": lambda values: {"handler_id": values["karin"]},
              "/klachten/behandelen/{part}/status": lambda values: {"status": "in_progress"},
              "/klachten/behandelen/{part}/berichten": lambda values: {"part_id": values["part"]},
              "/klachten/behandelen/{part}/termijn": lambda values: {"kind": "extension", "days": "7"},
              "/klachten/behandelen/{part}/doorsturen": lambda values: {"reason": ""},
              "/klachten/behandelen/{part}/reactie": lambda values: {"reaction": "We plan the appointments better."}}


@pytest.mark.parametrize(("route", "actor"), [(r, a) for r in GET for a in ACTORS])
def test_get(world, route, actor):
    app, ids, values = world
    client = client_for(app, ids, actor)
    response = client.get(route.format(**values), buffered=False)  # the live stream never ends by itself
    status = response.status_code
    response.close()
    assert status == GET[route][ACTORS.index(actor)], f"GET {route} as {actor}"


@pytest.mark.parametrize(("route", "actor"), [(r, a) for r in POST for a in ACTORS])
def test_post(world, route, actor):
    app, ids, values = world
    client = client_for(app, ids, actor)
    data = {**POST_DATA, "csrf_token": token(client), **ROUTE_DATA.get(route, lambda _: {})(values)}
    for youth in (values["tom"], values["lisa"]):
        data[f"c-{youth}-decision"] = "given"
    response = client.post(route.format(**values), data=data)
    assert response.status_code == POST[route][ACTORS.index(actor)], f"POST {route} as {actor}"


def test_every_route_is_in_the_matrix(world):
    app, _, _ = world
    names = {"fam": "{fam}", "other": "{other}"}
    listed_get = {r.replace("{other}", "{fam}").replace("{other_plan}", "{plan}").replace("{tom_item}", "{item}")
                  .replace("{lisa_item}", "{item}").replace("{goal}", "{item}").replace("{ended_goal}", "{item}")
                  for r in GET}
    listed_post = {r.replace("{tom_item}", "{item}").replace("{action}", "{item}").replace("{lisa}", "{tom}")
                   .replace("{tom_action}", "{item}").replace("{lisa_item}", "{item}")
                   .replace("{goal}", "{item}").replace("{ended_goal}", "{item}")
                   .replace("{reported_rating}", "{rating}") for r in POST}
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        path = (rule.rule.replace("<family_id>", names["fam"]).replace("<invitation_id>", "{inv}")
                .replace("<plan_id>", "{plan}").replace("<item_id>", "{item}").replace("<kind>", "{kind}")
                .replace("<int:version>", "1").replace("<int:notification_id>", "{note}")
                .replace("<youth_id>", "{tom}").replace("<token>", "{token}").replace("<key>", "{key}")
                .replace("<name>", "{provider}").replace("<provider>", "{provider}")
                .replace("<int:offer_id>", "{offer}").replace("<int:provider_id>", "{provider_id}")
                .replace("<goal_id>", "{item}").replace("<int:assignment_id>", "{tom_help}")
                .replace("<int:rating_id>", "{rating}")
                .replace("<complaint_id>", "{complaint}").replace("<part_id>", "{part}")
                .replace("<attachment_id>", "{attachment}").replace("<reference>", "{reference}")
                .replace("<path:rest>", "{rest}").replace("<problem>", "{problem}").replace("<int:event_id>", "{event}")
                .replace("<organisation_id>", "{org}").replace("<int:membership_id>", "{staff}")
                .replace("<child_id>", "{noor}").replace("<house>", "{kind}")
                .replace("<request_id>", "{destruction}").replace("<channel>", "{channel}"))
        if "GET" in rule.methods:
            assert path in listed_get, f"GET {rule.rule} is not in the matrix"
        if "POST" in rule.methods:
            assert path in listed_post, f"POST {rule.rule} is not in the matrix"
