"""`flask catalog import FILE`: a progress bar, a summary, every bad line listed, exit 1 when any was bad."""

from sqlmodel import select

from app.catalog.models import Offer
from app.extensions import db
from tests.catalog.conftest import row
from tests.catalog.test_import import HEADER, csv_bytes


def test_import_command_loads_good_rows_and_lists_bad_lines(app, tmp_path):
    path = tmp_path / "catalogus.csv"
    path.write_bytes(csv_bytes([row(offer_id="a"), row(offer_id="b", provider_id="p2", agb_code="12"),
                                row(offer_id="c")], newline="\r\n", bom=True))
    result = app.test_cli_runner().invoke(args=["catalog", "import", str(path)])
    assert result.exit_code == 1
    assert "2 of 3 rows loaded: 2 offers new" in result.stdout
    assert "Importing" in result.stdout
    assert "regel 3, agb_code: een AGB-code heeft precies 8 cijfers" in result.stderr
    with app.app_context(), db.new_session() as session:
        assert sorted(o.external_id for o in session.exec(select(Offer)).all()) == ["a", "c"]
    again = app.test_cli_runner().invoke(args=["catalog", "import", str(path)])
    assert "0 offers new, 0 updated, 2 unchanged" in again.stdout


def test_import_command_with_a_missing_column_loads_nothing(app, tmp_path):
    path = tmp_path / "catalogus.csv"
    path.write_bytes(csv_bytes([row()], header=[name for name in HEADER if name != "waiting_weeks"]))
    result = app.test_cli_runner().invoke(args=["catalog", "import", str(path)])
    assert result.exit_code == 1
    assert "regel 1, waiting_weeks: deze kolom ontbreekt" in result.stderr
    assert "0 of 0 rows loaded" in result.stdout
