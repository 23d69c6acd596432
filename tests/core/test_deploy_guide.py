"""The deploy guide's environment file is one that both of its readers take as written: a shell
(`set -a; . /etc/onsplan.env`, step 5) and systemd's `EnvironmentFile=` (step 6) get the same settings."""

import json

from tests.support.guide import as_a_shell_reads_it, as_systemd_reads_it, environment_file


def test_the_environment_file_reads_the_same_in_a_shell_and_in_systemd(tmp_path):
    text = environment_file()
    settings = as_systemd_reads_it(text)
    needed = {"APP_ENV", "SECRET_KEY", "DATABASE_URL", "REDIS_URL", "SITE_URL", "API_CLIENT_MUNICIPALITIES"}
    assert needed <= set(settings)
    path = tmp_path / "onsplan.env"
    path.write_text(text)
    assert as_a_shell_reads_it(path, list(settings)) == settings
    assert json.loads(settings["API_CLIENT_MUNICIPALITIES"]) == {"backoffice-leeuwarden": ["0080"], "regio": ["*"]}


def test_the_check_refuses_what_broke_the_shell_before():
    for line in ('API_CLIENT_MUNICIPALITIES={"backoffice": ["0080"], "regio": ["*"]}',
                 "OIDC_CITIZENS_ISSUER=…  OIDC_CITIZENS_CLIENT_ID=…",
                 'SECRET_KEY=<64 random bytes, e.g. python3 -c "import secrets">'):
        try:
            as_systemd_reads_it(line)
        except AssertionError:
            continue
        raise AssertionError(f"accepted {line!r}")
