"""Declared relations: a user never sees cases of a person she or he is related to."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from birge.audit.services import event_record
from birge.cases.identity import relation_digest
from birge.cases.models import ConflictDeclaration


def conflict_declare(
    *, user, first_name: str, last_name: str, birth_date: date | None
) -> ConflictDeclaration:
    """Without a birth date the name alone hides every case of that name: more hidden
    from her, never less."""
    digest = relation_digest(first_name=first_name, last_name=last_name, birth_date=birth_date)
    if digest is None:
        raise ValidationError(_("Give the person's first and last name."))
    with transaction.atomic():
        declaration = ConflictDeclaration.objects.create(
            user=user,
            label=f"{first_name.strip()} {last_name.strip()}"
            + (f" ({birth_date.isoformat()})" if birth_date else ""),
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            birth_date=birth_date,
            digest=digest,
        )
        event_record(
            action="user.conflict_declared",
            actor=user,
            object_type="user",
            object_id=user.pk,
            data={"declaration": declaration.pk},
        )
    return declaration


def conflict_withdraw(*, user, declaration: ConflictDeclaration) -> None:
    if declaration.user_id != user.pk or declaration.withdrawn_at:
        raise ValidationError(_("This declaration is no longer in force."))
    with transaction.atomic():
        declaration.withdrawn_at = timezone.now()
        declaration.save(update_fields=["withdrawn_at"])
        event_record(
            action="user.conflict_withdrawn",
            actor=user,
            object_type="user",
            object_id=user.pk,
            data={"declaration": declaration.pk},
        )
