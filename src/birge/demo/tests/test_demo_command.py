"""`birge demo` fills an empty Birge with synthetic agencies and accounts, and only in a demo."""

import os
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command

from birge.agencies.models import Agency, Region, User
from birge.audit.models import AuditEvent
from birge.demo import data
from birge.demo.data import DEMO_PASSWORD

STANDARD_ROLES = {
    "frontline_officer",
    "case_coordinator",
    "conference_chair",
    "agency_lead",
    "analyst",
    "auditor",
    "administrator",
}


def _demo(**options) -> str:
    out = StringIO()
    call_command("demo", stdout=out, **options)
    return out.getvalue()


def _counts() -> tuple[int, int, int]:
    return Region.objects.count(), Agency.objects.count(), User.objects.count()


def test_the_demo_creates_the_agencies_in_six_regions(db):
    _demo(force=True)

    codes = {code for code, *_rest in data.AGENCIES}
    assert set(Agency.objects.values_list("code", flat=True)) == codes
    assert Region.objects.count() == 6
    assert Agency.objects.values("region").distinct().count() == 6
    baku = Agency.objects.get(code="police-baku")
    assert baku.region.code == "baku"
    assert baku.name_en == "Ministry of Internal Affairs — Baku City Police"


def test_the_demo_creates_users_for_every_standard_role(db):
    _demo(force=True)

    given = set(User.objects.values_list("roles__code", flat=True))
    assert given >= STANDARD_ROLES
    assert User.objects.count() == len(data.USERS)
    officer = User.objects.get(username="officer")
    assert officer.agency.code == "police-baku"
    assert list(officer.roles.values_list("code", flat=True)) == ["frontline_officer"]


def test_demo_users_sign_in_with_the_demo_password(db):
    _demo(force=True)
    assert all(user.check_password(DEMO_PASSWORD) for user in User.objects.all())


def test_the_demo_email_addresses_go_nowhere(db):
    _demo(force=True)
    assert all(e.endswith(".invalid") for e in User.objects.values_list("email", flat=True))


def test_loading_the_demo_twice_creates_everything_once(db):
    _demo(force=True)
    first = _counts()
    _demo(force=True)
    assert _counts() == first == (6, len(data.AGENCIES), len(data.USERS))


def test_loading_again_repairs_changed_roles_and_names_but_keeps_passwords(db):
    _demo(force=True)
    officer = User.objects.get(username="officer")
    officer.roles.clear()
    officer.set_password("a password she chose herself")
    officer.save()
    Agency.objects.filter(code="moj").update(name_en="Renamed")

    _demo(force=True)

    officer.refresh_from_db()
    assert list(officer.roles.values_list("code", flat=True)) == ["frontline_officer"]
    assert officer.check_password("a password she chose herself")
    assert Agency.objects.get(code="moj").name_en == "Ministry of Justice"


def test_loading_the_demo_is_recorded_once(db):
    _demo(force=True)
    _demo(force=True)
    event = AuditEvent.objects.get(action="demo.loaded")
    assert event.data == {"users_created": len(data.USERS)}
    call_command("audit", "verify", stdout=StringIO())


def test_the_command_lists_the_accounts_and_the_password(db):
    output = _demo(force=True)
    assert DEMO_PASSWORD in output
    for username, *_rest in data.USERS:
        assert username in output


def test_the_demo_refuses_to_load_outside_a_demo(db, settings):
    settings.BIRGE_DEMO = False
    with pytest.raises(CommandError) as caught:
        _demo()
    assert "BIRGE_DEMO=1" in str(caught.value)
    assert _counts() == (0, 0, 0)


def test_the_demo_loads_without_force_in_a_demo(db, settings):
    settings.BIRGE_DEMO = True
    _demo()
    assert User.objects.filter(username="admin").exists()


def test_the_demo_admin_may_manage_and_the_auditor_may_read(client, sign_in, db):
    _demo(force=True)
    admin = User.objects.get(username="admin")
    auditor = User.objects.get(username="auditor")
    assert sign_in(client, admin).get("/admin/agencies/").status_code == 200
    client.logout()
    assert sign_in(client, auditor).get("/audit/").status_code == 200


def test_the_demo_names_are_not_personal_data_in_the_log(db):
    _demo(force=True)
    surnames = {last for _u, _f, last, _a, _r in data.USERS}
    for event in AuditEvent.objects.all():
        assert not surnames & set(str(event.content()).split())


def _readme_accounts() -> list[tuple[str, str, str]]:
    readme = (Path(django_settings.BASE_DIR).parent.parent / "README.md").read_text(
        encoding="utf-8"
    )
    table = readme.split("| username | role | agency |", 1)[1].split("\n\n", 1)[0]
    rows = []
    for line in table.strip().splitlines()[1:]:
        username, role, agency = (cell.strip() for cell in line.strip("|").split("|"))
        rows.append((username.strip("`"), role, agency))
    return rows


def test_the_readme_lists_the_accounts_the_demo_prints(db):
    lines = _demo(force=True).splitlines()
    assert lines[0].startswith("Demo accounts")
    printed = []
    for line in lines[1:]:
        if not line.startswith("  "):
            break
        printed.append(tuple(re.split(r"\s{2,}", line.strip())))
    assert _readme_accounts() == printed


def test_the_demo_writes_its_mail_to_files_under_var(tmp_path):
    """Under BIRGE_DEMO (and no EMAIL_URL) a mail is a file in var/mail/, not raw MIME on
    the console; with EMAIL_URL the operator's choice holds."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "birge.settings",
        "BIRGE_DEMO": "1",
        "BIRGE_HTTPS": "0",
        "BIRGE_VAR_DIR": str(tmp_path / "var"),
    }

    def send(**extra) -> str:
        return subprocess.run(
            [
                sys.executable,
                "-c",
                "import django; django.setup(); from django.core.mail import send_mail;"
                "from django.conf import settings; print(settings.EMAIL_BACKEND);"
                "send_mail('Birge', 'Something waits in Birge.', None, ['officer@demo.invalid'])",
            ],
            env={**env, **extra},
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        ).stdout

    printed = send()
    assert printed.strip() == "django.core.mail.backends.filebased.EmailBackend"
    (mail,) = (tmp_path / "var" / "mail").iterdir()
    assert "Something waits in Birge." in mail.read_text()

    assert send(EMAIL_URL="dummymail://").strip() == "django.core.mail.backends.dummy.EmailBackend"
