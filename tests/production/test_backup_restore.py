"""Backup and restore (issue 9, point 5): the documented round trip with the real scripts and the real app.

The demo is seeded the operator's way (`flask db upgrade`, `flask demo seed`), changed through the app, backed up
with scripts/backup.sh (pg_dump, custom format) while the app runs, and restored with scripts/restore.sh into a
fresh database (and the complaint attachments into a fresh folder). The app on the restored database serves the same
plan and files, every table holds the same rows as at the moment of the backup, the access log's hash chains verify,
and the restored database takes new changes.
"""

import html
import os
import re
import stat
import subprocess
import uuid
from pathlib import Path

import pytest

from app import create_app
from app.audit.services import verify
from app.extensions import db
from tests.production.support import Visitor, app_env, sql, token_in
from tests.support.servers import ROOT, AppServer

ARTICLE = re.compile(r'<article class="item item--(\w+)[^"]*" id="item-(\w+)" data-version="(\d+)"')
SHOWN_TEXT = re.compile(r'class="item__(?:title|text)">([^<]*)<')
PLAN_ITEMS = ("SELECT id, plan_id, kind, text, result, domain, due_date::text, helpers, owner_id, youth_id, goal_id, "
              "is_done, version, author_id, typed_by_id, deleted_at::text FROM plan_item ORDER BY id")
ITEM_VERSIONS = ("SELECT id, item_id, version, change, author_id, typed_by_id, changed_at::text, data::text "
                 "FROM item_version ORDER BY item_id, version")


def served(visitor: Visitor) -> list[tuple[str, str, str, str]]:
    """(kind, id, version, shown text) of every item on the plan page as this person sees it."""
    page = visitor.http.get(visitor.url(visitor.plan), timeout=15)
    assert page.status_code == 200
    chunks = page.text.split("<article ")[1:]
    items = []
    for chunk in chunks:
        found = ARTICLE.match("<article " + chunk)
        if found:
            text = SHOWN_TEXT.search(chunk)
            items.append((*found.groups(), html.unescape(text.group(1)) if text else ""))
    assert items
    return items


def every_table(database: str) -> dict[str, tuple[int, str]]:
    """Row count and a checksum of the rows of every table: equal means the same data."""
    tables = [name for (name,) in sql(database, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                                                "ORDER BY tablename")]
    return {table: tuple(sql(database, f"SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' "
                                       f"ORDER BY t::text), '')) FROM \"{table}\" t")[0]) for table in tables}


def script(name: str, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(ROOT / "scripts" / name), *args], cwd=ROOT, env={**os.environ, **env},
                          capture_output=True, text=True, timeout=120)


def chain_problems(database: str) -> list:
    flask_app = create_app({"ENV_NAME": "test", "DATABASE_URL": database})
    try:
        with flask_app.app_context(), db.new_session() as session:
            return verify(session)
    finally:
        with flask_app.app_context():
            db.engine.dispose()


PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def complaint_with_a_file(tom: Visitor, database: str) -> str:
    """Tom files a complaint about his provider and adds a PDF to it; return the attachment's download path."""
    page = tom.http.get(tom.url("/klachten/nieuw"), timeout=15).text
    client_id = re.search(r'name="client_id" type="hidden" value="([^"]+)"', page).group(1)
    provider = sql(database, "SELECT id FROM provider WHERE external_id = 'demo-p000'")[0][0]
    filed = tom.http.post(tom.url("/klachten/nieuw"), allow_redirects=False, timeout=15, data={
        "csrf_token": token_in(page), "about": f"provider:{provider}", "client_id": client_id,
        "text": "De ôfspraken waarden trije kear ôfsein"})
    assert filed.status_code == 303, filed.status_code
    complaint = filed.headers["Location"].split("?")[0]
    token = token_in(tom.http.get(tom.url(complaint), timeout=15).text)
    added = tom.http.post(tom.url(f"{complaint}/bijlagen"), data={"csrf_token": token}, allow_redirects=False,
                          files={"file": ("brief ôfspraak.pdf", PDF, "application/pdf")}, timeout=15)
    assert added.status_code == 303, added.status_code
    attachment = sql(database, "SELECT id FROM complaint_attachment")[0][0]
    return f"{complaint}/bijlagen/{attachment}"


@pytest.fixture
def restored_url(postgres):
    """A database name that does not exist yet (restore.sh creates it)."""
    return postgres.url(f"restored_{uuid.uuid4().hex[:10]}")


def test_backup_and_restore_into_a_fresh_database_serves_the_same_plans(fresh_copy, restored_url, tmp_path):
    source = fresh_copy("live")
    backup = tmp_path / "onsplan.dump"
    files, restored_files = str(tmp_path / "files"), str(tmp_path / "restored-files")
    app = AppServer(app_env(source, COMPLAINT_FILES_DIR=files)).start()
    try:
        mark, sanne = Visitor(app, "mark"), Visitor(app, "sanne")
        attachment = complaint_with_a_file(Visitor(app, "tom"), source)
        kinds = {}
        for kind, item_id, _version in mark.items():
            kinds.setdefault(kind, []).append(item_id)
        goal, worry, gone = kinds["goal"][0], kinds["worry"][0], kinds["worry"][1]
        token, version = mark.edit_form(goal)
        saved = mark.save(goal, token=token, version=version, text="Tom gaat elke dag graag naar school")
        assert saved.status_code == 303
        token, version = mark.edit_form(gone)
        deleted = mark.http.post(mark.url(f"{mark.plan}/onderdelen/{gone}/bewerken"), allow_redirects=False,
                                 data={"csrf_token": token, "version": str(version), "delete": "1"}, timeout=15)
        assert deleted.status_code == 303
        page = sanne.http.get(sanne.url(sanne.plan), timeout=15).text
        added = sanne.http.post(sanne.url(f"{sanne.plan}/onderdelen/strength"), allow_redirects=False, timeout=15,
                                data={"csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', page).group(1),
                                      "text": "Wy ite elke jûn tegearre 🍲"})
        assert added.status_code == 303
        pages = {"mark": served(mark), "sanne": served(sanne)}
        at_backup = every_table(source)
        plan_items, item_versions = sql(source, PLAN_ITEMS), sql(source, ITEM_VERSIONS)

        made = script("backup.sh", str(backup), env={"DATABASE_URL": source, "COMPLAINT_FILES_DIR": files})
        assert made.returncode == 0, made.stderr
        assert made.stdout.startswith(f"Backup written: {backup} ("), made.stdout
        assert f"Complaint attachments: {backup}.files.tar" in made.stdout
        assert sorted(path.name for path in tmp_path.iterdir() if "onsplan" in path.name) == [
            "onsplan.dump", "onsplan.dump.files.tar"]  # no .partial left behind

        token, version = mark.edit_form(worry)  # after the backup: must not come back with the restore
        assert mark.save(worry, token=token, version=version, text="Na de back-up geschreven").status_code == 303
    finally:
        app.stop()

    restored = script("restore.sh", str(backup), env={
        **app_env(restored_url, COMPLAINT_FILES_DIR=restored_files), "RESTORE_CREATE": "1",
        "FLASK": str(ROOT / ".venv" / "bin" / "flask")})
    assert restored.returncode == 0, restored.stderr
    assert "Access log intact." in restored.stdout
    assert every_table(restored_url) == at_backup
    assert sql(restored_url, PLAN_ITEMS) == plan_items
    assert sql(restored_url, ITEM_VERSIONS) == item_versions
    assert chain_problems(restored_url) == []

    again = script("restore.sh", str(backup), env={**app_env(restored_url), "RESTORE_VERIFY": "0"})
    assert again.returncode != 0
    assert "not empty" in again.stderr  # never restored over a database in use

    app = AppServer(app_env(restored_url, COMPLAINT_FILES_DIR=restored_files)).start()
    try:
        mark, sanne, tom = Visitor(app, "mark"), Visitor(app, "sanne"), Visitor(app, "tom")
        download = tom.http.get(tom.url(attachment), timeout=15)
        assert download.status_code == 200
        assert download.content == PDF
        assert served(mark) == pages["mark"]
        assert served(sanne) == pages["sanne"]
        assert "Wy ite elke jûn tegearre 🍲" in [text for *_rest, text in pages["sanne"]]
        assert "Na de back-up geschreven" not in mark.http.get(mark.url(mark.plan), timeout=15).text
        token, version = mark.edit_form(worry)  # new rows get new ids: the sequences came back too
        assert mark.save(worry, token=token, version=version, text="Na het terugzetten").status_code == 303
    finally:
        app.stop()
    assert chain_problems(restored_url) == []
    assert sql(restored_url, "SELECT text FROM plan_item WHERE id = %s", worry) == [
        ("Na het terugzetten",)]


def test_backups_are_private_and_the_apps_own_role_restores_them(fresh_copy, postgres, tmp_path):
    """Backup files are readable by their owner only (0600, in a new folder 0700), also under a lax umask. The
    app's role, with no more rights than docs/deploy.md gives it (it owns its database; no CREATEDB), restores into
    a database the administrator made for it, and the access-log check runs with this checkout's own flask."""
    source = fresh_copy("private")
    files = tmp_path / "files"
    files.mkdir()
    (files / "brief.pdf").write_bytes(PDF)
    backup = tmp_path / "nightly" / "onsplan.dump"
    made = subprocess.run(["bash", "-c", 'umask 022 && exec bash scripts/backup.sh "$0"', str(backup)], cwd=ROOT,
                          env={**os.environ, "DATABASE_URL": source, "COMPLAINT_FILES_DIR": str(files)},
                          capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stderr
    modes = {path.name: stat.S_IMODE(path.stat().st_mode) for path in (backup.parent, backup,
                                                                       backup.with_name("onsplan.dump.files.tar"))}
    assert modes == {"nightly": 0o700, "onsplan.dump": 0o600, "onsplan.dump.files.tar": 0o600}

    role, database = f"app_{uuid.uuid4().hex[:8]}", f"restored_{uuid.uuid4().hex[:10]}"
    sql(postgres.url(), f'CREATE ROLE "{role}" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE')
    sql(postgres.url(), f'CREATE DATABASE "{database}" OWNER "{role}"')  # the administrator, as documented
    target = f"postgresql+psycopg://{role}@127.0.0.1:{postgres.port}/{database}"
    no_flask = os.pathsep.join(folder for folder in os.environ["PATH"].split(os.pathsep)
                               if not (Path(folder) / "flask").exists())
    restored = subprocess.run(["bash", str(ROOT / "scripts" / "restore.sh"), str(backup)], cwd=tmp_path,
                              env={**os.environ, **app_env(target, COMPLAINT_FILES_DIR=str(tmp_path / "back")),
                                   "PATH": no_flask}, capture_output=True, text=True, timeout=120)
    assert restored.returncode == 0, restored.stderr
    assert "Access log intact." in restored.stdout
    assert every_table(target) == every_table(source)
    assert {owner for (owner,) in sql(target, "SELECT tableowner FROM pg_tables WHERE schemaname = 'public'")} == {
        role}
    assert (tmp_path / "back" / "brief.pdf").read_bytes() == PDF
