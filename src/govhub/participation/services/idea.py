"""Ideas: submit (with attachments), edit until others react; the participant profile."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govhub.core.audit import audit_record
from govhub.core.errors import Conflict, InvalidInput, NotAllowed
from govhub.reference.models import NutsRegion

from .. import permissions
from ..models import Idea, IdeaAttachment, ParticipantProfile, ParticipatoryProcess
from .common import check_rate, clean_text, count_rate, require_signed_in, required_text

MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
MAX_ATTACHMENTS = 3
# Extension → (content type, the file's first bytes): the content is checked, not the name.
ATTACHMENT_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
}
DUPLICATE_WINDOW = dt.timedelta(days=1)


def _content(process: ParticipatoryProcess, title: Any, body: Any, category: Any) -> dict[str, str]:
    errors: dict[str, list[str]] = {}
    values = {
        "title": clean_text(title),
        "body": clean_text(body),
        "category": clean_text(category),
    }
    if not values["title"]:
        errors["title"] = [_("Enter a title for your idea")]
    elif len(values["title"]) > 200:
        errors["title"] = [_("Use 200 characters or fewer")]
    if not values["body"]:
        errors["body"] = [_("Describe your idea")]
    elif len(values["body"]) > 10000:
        errors["body"] = [_("Use 10,000 characters or fewer")]
    categories = process.category_list
    if values["category"] and values["category"] not in categories:
        errors["category"] = [_("Choose one of the process’s categories")]
    if errors:
        raise InvalidInput(_("Check your idea"), field_errors=errors)
    return values


def _check_attachments(files: list[UploadedFile], already: int = 0) -> None:
    if len(files) + already > MAX_ATTACHMENTS:
        message = _("Attach at most %(count)d files") % {"count": MAX_ATTACHMENTS}
        raise InvalidInput(message, field_errors={"attachments": [message]})
    for upload in files:
        name = upload.name or ""
        extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if extension not in ATTACHMENT_TYPES:
            message = _("%(name)s must be a PDF, PNG or JPEG file") % {"name": name}
            raise InvalidInput(message, field_errors={"attachments": [message]})
        if (upload.size or 0) > MAX_ATTACHMENT_BYTES:
            message = _("%(name)s must be smaller than 5 MB") % {"name": name}
            raise InvalidInput(message, field_errors={"attachments": [message]})
        upload.seek(0)
        head = upload.read(16)
        upload.seek(0)
        if not head.startswith(ATTACHMENT_TYPES[extension][1]):
            message = _("%(name)s is not a real PDF, PNG or JPEG file") % {"name": name}
            raise InvalidInput(message, field_errors={"attachments": [message]})


def _attach(idea: Idea, files: list[UploadedFile]) -> list[IdeaAttachment]:
    saved = []
    for upload in files:
        name = upload.name or "file"
        extension = name.rsplit(".", 1)[-1].lower()
        attachment = IdeaAttachment(
            idea=idea,
            original_name=clean_text(name)[:255] or "file",
            content_type=ATTACHMENT_TYPES[extension][0],
            size=upload.size or 0,
        )
        attachment.file.save(name, upload, save=False)
        attachment.save()
        saved.append(attachment)
    return saved


@transaction.atomic
def idea_submit(
    *,
    actor: Any,
    process: ParticipatoryProcess,
    title: str,
    body: str,
    category: str = "",
    nuts_region: NutsRegion | None = None,
    attachments: Iterable[UploadedFile] = (),
) -> Idea:
    """A participant's idea. Refused outside the ideas phase, to those not eligible, when
    the person posts too fast, or when they already posted the same idea in the last day."""
    require_signed_in(actor)
    if not permissions.is_eligible(actor, process):
        raise NotAllowed(
            _("This process is open only to: %(who)s.")
            % {"who": process.get_eligibility_display()},
            code="not_eligible",
        )
    if not permissions.accepts_ideas(process):
        raise NotAllowed(_("This process is not taking ideas now."), code="not_accepting_ideas")
    values = _content(process, title, body, category)
    files = list(attachments)
    _check_attachments(files)
    check_rate("idea", actor)
    duplicate = Idea.objects.filter(
        process=process,
        author=actor,
        title__iexact=values["title"],
        body=values["body"],
        created_at__gte=timezone.now() - DUPLICATE_WINDOW,
    ).exists()
    if duplicate:
        raise Conflict(
            _("You already posted this idea in this process today."), code="duplicate_idea"
        )
    idea = Idea.objects.create(process=process, author=actor, nuts_region=nuts_region, **values)
    saved = _attach(idea, files)
    count_rate("idea", actor)
    audit_record(
        actor=actor,
        action="participation.idea.submit",
        obj=idea,
        organisation_id=process.authority.public_id,
        after={
            "process": str(process.public_id),
            "title": idea.title,
            "attachments": [a.original_name for a in saved],
        },
    )
    return idea


@transaction.atomic
def idea_update(
    *,
    actor: Any,
    idea: Idea,
    title: str,
    body: str,
    category: str = "",
    nuts_region: NutsRegion | None = None,
    attachments: Iterable[UploadedFile] = (),
) -> Idea:
    """The author changes the idea, until someone else has commented on or supported it."""
    require_signed_in(actor)
    locked = Idea.objects.select_for_update(of=("self",)).select_related("process").get(pk=idea.pk)
    if locked.author_id != actor.pk:
        raise NotAllowed(_("Only the author can change an idea."), code="not_author")
    if not permissions.can_edit_idea(actor, locked):
        raise Conflict(
            _(
                "Others have already reacted to this idea (or it has been answered), so it "
                "can no longer be changed. Add a comment instead."
            ),
            code="idea_locked",
        )
    values = _content(locked.process, title, body, category)
    files = list(attachments)
    _check_attachments(files, already=locked.attachments.count())
    before = {"title": locked.title, "body": locked.body, "category": locked.category}
    for key, value in values.items():
        setattr(locked, key, value)
    locked.nuts_region = nuts_region
    locked.edited_at = timezone.now()
    locked.save()
    _attach(locked, files)
    audit_record(
        actor=actor,
        action="participation.idea.update",
        obj=locked,
        organisation_id=locked.process.authority.public_id,
        before=before,
        after=values,
    )
    for key in (*values, "nuts_region", "edited_at"):
        setattr(idea, key, getattr(locked, key))
    return idea


@transaction.atomic
def profile_save(
    *, actor: Any, pseudonym: str, nuts_region: NutsRegion | None = None
) -> ParticipantProfile:
    """How the person appears (a pseudonym instead of their name) and where they live."""
    require_signed_in(actor)
    name = required_text(
        pseudonym,
        field="pseudonym",
        message=_("Enter the name others will see"),
        max_length=60,
    )
    if name.casefold() in {"deleted participant", "participant"}:
        message = _("Choose another pseudonym")
        raise InvalidInput(message, field_errors={"pseudonym": [message]})
    taken = ParticipantProfile.objects.filter(pseudonym__iexact=name).exclude(user=actor).exists()
    if taken:
        message = _("Someone else already uses this pseudonym: choose another")
        raise InvalidInput(message, field_errors={"pseudonym": [message]})
    profile, created = ParticipantProfile.objects.update_or_create(
        user=actor, defaults={"pseudonym": name, "nuts_region": nuts_region}
    )
    audit_record(
        actor=actor,
        action="participation.profile.save",
        obj=profile,
        object_label="participant profile",
        after={"region": nuts_region.code if nuts_region else None, "created": created},
    )
    return profile
