"""Participatory processes, ideas and accountability.

An authority (or an intermediary on its behalf) opens a process with its engagement strategy
stated up front; participants bring ideas, discuss and support them; the authority answers
every idea, and accepted ideas become results whose progress stays public. Nothing a
participant wrote is ever deleted: moderators hide with a published reason, merges keep
their history, and erasure of a person's data keeps the content under "Deleted participant".
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govhub.core.models import PublicModel


class ProcessStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


PROCESS_TRANSITIONS: dict[str, frozenset[str]] = {
    ProcessStatus.DRAFT: frozenset({ProcessStatus.OPEN}),
    ProcessStatus.OPEN: frozenset({ProcessStatus.CLOSED}),
    ProcessStatus.CLOSED: frozenset(),
}


class Eligibility(models.TextChoices):
    EVERYONE = "everyone", _("Everyone with an account")
    RESIDENTS = "residents", _("Residents of the listed regions")
    CIVIL_SERVANTS = "civil_servants", _("Civil servants of the authority")
    INVITED = "invited", _("Members of the invited organisations")


class PhaseKind(models.TextChoices):
    IDEAS = "ideas", _("Ideas")
    DISCUSSION = "discussion", _("Discussion")
    SUPPORT = "support", _("Support")
    ANSWERS = "answers", _("Answers")
    FOLLOW_UP = "follow_up", _("Follow-up")


# What participants may do in each kind of phase (while the process is open).
SUBMIT_PHASES = frozenset({PhaseKind.IDEAS})
COMMENT_PHASES = frozenset({PhaseKind.IDEAS, PhaseKind.DISCUSSION, PhaseKind.SUPPORT})
SUPPORT_PHASES = frozenset({PhaseKind.IDEAS, PhaseKind.DISCUSSION, PhaseKind.SUPPORT})


class ParticipatoryProcess(PublicModel):
    authority = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="processes"
    )
    # An intermediary (GovTech lab, EDIH…) running the process on the authority's behalf.
    intermediary = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="processes_run",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    scope = models.TextField(_("scope"))
    goals = models.TextField(_("goals"))
    methods = models.TextField(_("roles and methods"), blank=True)
    commitment = models.TextField(_("what the authority commits to do with the results"))
    categories = models.TextField(_("categories"), blank=True)  # one per line
    eligibility = models.CharField(
        _("who may take part"),
        max_length=20,
        choices=Eligibility.choices,
        default=Eligibility.EVERYONE,
    )
    nuts_regions = models.ManyToManyField("reference.NutsRegion", blank=True, related_name="+")
    invited_organisations = models.ManyToManyField(
        "organisations.Organisation", blank=True, related_name="invited_to_processes"
    )
    status = models.CharField(
        max_length=20, choices=ProcessStatus.choices, default=ProcessStatus.DRAFT, db_index=True
    )
    open_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Published when the process is closed with ideas still lacking an answer.
    unanswered_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-open_at", "-created_at"]
        verbose_name = _("participatory process")

    def __str__(self) -> str:
        return self.title

    @property
    def category_list(self) -> list[str]:
        return [line.strip() for line in self.categories.splitlines() if line.strip()]

    def current_phases(self, today: dt.date | None = None) -> list[ProcessPhase]:
        today = today or timezone.localdate()
        return [p for p in self.phases.all() if p.starts_on <= today <= p.ends_on]


class ProcessPhase(PublicModel):
    process = models.ForeignKey(
        ParticipatoryProcess, on_delete=models.CASCADE, related_name="phases"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=PhaseKind.choices)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    class Meta:
        ordering = ["starts_on", "ends_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["process", "kind"], name="uniq_process_phase_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.starts_on}–{self.ends_on})"


class ParticipantProfile(PublicModel):
    """How a person appears in participation (a pseudonym) and where they live."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="participant_profile"
    )
    pseudonym = models.CharField(_("pseudonym"), max_length=60, blank=True)
    nuts_region = models.ForeignKey(
        "reference.NutsRegion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return self.pseudonym or str(self.pk)


class IdeaState(models.TextChoices):
    NEW = "new", _("Awaiting an answer")
    UNDER_EVALUATION = "under_evaluation", _("Under evaluation")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    ALREADY_PLANNED = "already_planned", _("Already planned")
    MERGED = "merged", _("Merged")


ANSWER_STATES = (
    IdeaState.UNDER_EVALUATION,
    IdeaState.ACCEPTED,
    IdeaState.REJECTED,
    IdeaState.ALREADY_PLANNED,
)
_ANSWERS = frozenset(ANSWER_STATES)
IDEA_TRANSITIONS: dict[str, frozenset[str]] = {
    IdeaState.NEW: _ANSWERS | {IdeaState.MERGED},
    IdeaState.UNDER_EVALUATION: _ANSWERS | {IdeaState.MERGED},
    IdeaState.ACCEPTED: _ANSWERS - {IdeaState.ACCEPTED},
    IdeaState.REJECTED: _ANSWERS - {IdeaState.REJECTED},
    IdeaState.ALREADY_PLANNED: _ANSWERS - {IdeaState.ALREADY_PLANNED},
    IdeaState.MERGED: frozenset(),
}


class Moderated(PublicModel):
    """Content a moderator can hide (never delete), with a published reason."""

    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.TextField(blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        abstract = True

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class Idea(Moderated):
    process = models.ForeignKey(
        ParticipatoryProcess, on_delete=models.CASCADE, related_name="ideas"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("your idea"))
    category = models.CharField(_("category"), max_length=100, blank=True)
    nuts_region = models.ForeignKey(
        "reference.NutsRegion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    state = models.CharField(
        max_length=20, choices=IdeaState.choices, default=IdeaState.NEW, db_index=True
    )
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_ideas"
    )
    merged_at = models.DateTimeField(null=True, blank=True)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("idea")

    def __str__(self) -> str:
        return self.title


class IdeaAnswer(PublicModel):
    """Every answer the authority gave an idea, in order: the history is never rewritten."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="answers")
    state = models.CharField(max_length=20, choices=IdeaState.choices)
    text = models.TextField()
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.idea} → {self.state}"


class IdeaMerge(PublicModel):
    """A duplicate merged into another idea: who, why, and how many supports moved."""

    source = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="merges_out")
    target = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="merges_in")
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.TextField()
    supports_moved = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.source} → {self.target}"


def attachment_path(instance: IdeaAttachment, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"participation/{timezone.now():%Y/%m}/{instance.public_id}.{extension}"


class IdeaAttachment(PublicModel):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class Comment(Moderated):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("comment"))

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.body[:60]


class Support(PublicModel):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="supports")
    # Null only once the supporter's personal data has been erased (the support still counts).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["idea", "user"], name="uniq_idea_support")]

    def __str__(self) -> str:
        return f"support of {self.idea_id}"


class ReportStatus(models.TextChoices):
    OPEN = "open", _("Waiting for a moderator")
    HIDDEN = "hidden", _("Content hidden")
    DISMISSED = "dismissed", _("Dismissed")


class Report(PublicModel):
    """A participant tells moderators that an idea or a comment is abusive."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="reports")
    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.TextField(_("what is wrong with it"))
    status = models.CharField(
        max_length=20, choices=ReportStatus.choices, default=ReportStatus.OPEN, db_index=True
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"report on {self.idea_id}"


class Result(PublicModel):
    """What became of an accepted idea: progress, milestones and what it led to."""

    idea = models.OneToOneField(Idea, on_delete=models.CASCADE, related_name="result")
    summary = models.TextField(_("what is being done"))
    progress = models.PositiveSmallIntegerField(_("progress (percent)"), default=0)
    need = models.ForeignKey(
        "needs.InnovationNeed",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participation_results",
    )
    challenge = models.ForeignKey(
        "challenges.Challenge",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participation_results",
    )

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"result of {self.idea}"


class Milestone(PublicModel):
    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=200)
    due_on = models.DateField(_("date"))
    done = models.BooleanField(_("done"), default=False)
    evidence = models.TextField(_("evidence"), blank=True)
    evidence_url = models.URLField(_("link to the evidence"), blank=True)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.title
