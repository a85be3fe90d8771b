"""Declared relations: a user never sees cases of a person she or he is related to."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from birge.audit.services import event_record
from birge.cases.models import ConflictDeclaration, PersonIndex
from birge.privacy.blind_index import blind_index, name_skeleton


def conflict_declare(
    *, user, first_name: str, last_name: str, birth_date: date | None
) -> ConflictDeclaration:
    """Without a birth date the name alone hides every case of that name: more hidden
    from her, never less."""
    first, last = name_skeleton(first_name), name_skeleton(last_name)
    if not first or not last:
        raise ValidationError(_("Give the person's first and last name."))
    if birth_date:
        digest = blind_index(PersonIndex.Purpose.NAME_BIRTH, first, last, birth_date.isoformat())
    else:
        digest = blind_index(PersonIndex.Purpose.NAME, first, last)
    with transaction.atomic():
        declaration = ConflictDeclaration.objects.create(
            user=user,
            label=f"{first_name.strip()} {last_name.strip()}"
            + (f" ({birth_date.isoformat()})" if birth_date else ""),
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
