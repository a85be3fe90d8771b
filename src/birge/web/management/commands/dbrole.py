"""`birge dbrole create` and `birge dbrole check`: the least-privilege PostgreSQL role the
application runs as (birge.web.dbrole)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from birge.web.dbrole import RoleError, role_create, role_problems


class Command(BaseCommand):
    help = (
        "Create the application's least-privilege PostgreSQL role (as the owner of the "
        "tables, again after every migrate), or check a role: exit 1 listing what is wrong."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser(
            "create",
            help="Create the role or bring it back to exactly its privileges (idempotent).",
        )
        create.add_argument("--role", default="birge_app", help="Its name (birge_app).")
        create.add_argument(
            "--password-file",
            type=Path,
            help="A file holding its password (without it: no password, e.g. peer or "
            "certificate authentication).",
        )
        check = sub.add_parser(
            "check", help="Exit 1 listing what keeps a role from being the least-privilege one."
        )
        check.add_argument(
            "--role", help="The role to check (default: the one DATABASE_URL connects as)."
        )

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        try:
            if action == "create":
                self._create(options["role"], options.get("password_file"))
            else:
                self._check(options.get("role"))
        except RoleError as error:
            raise CommandError(str(error)) from error

    def _create(self, role: str, password_file: Path | None) -> None:
        password = None
        if password_file is not None:
            try:
                password = password_file.read_text().strip()
            except OSError as error:
                raise CommandError(f"Cannot read {password_file}: {error.strerror}.") from error
            if not password:
                raise CommandError(f"{password_file} is empty.")
        for line in role_create(role=role, password=password):
            self.stdout.write(line)
        problems = role_problems(role=role)
        if problems:
            raise CommandError("Still wrong:\n" + "\n".join(problems))
        self.stdout.write(f"{role}: least privilege.")

    def _check(self, role: str | None) -> None:
        problems = role_problems(role=role)
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(f"{len(problems)} problems: not the least-privilege role.")
        self.stdout.write(f"{role or 'the role Birge connects as'}: least privilege.")
