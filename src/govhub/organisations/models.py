"""Organisations, their members and roles, invitations and the verification lifecycle."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from govhub.core.models import PublicModel


class OrganisationKind(models.TextChoices):
    AUTHORITY = "authority", _("Public authority")
    COMPANY = "company", _("Company")
    INTERMEDIARY = "intermediary", _("Intermediary")
    RESEARCH = "research", _("Research organisation")
    CIVIL_SOCIETY = "civil_society", _("Civil-society organisation")


class IntermediaryType(models.TextChoices):
    GOVTECH_LAB = "govtech_lab", _("GovTech lab")
    EDIH = "edih", _("European Digital Innovation Hub")
    INCUBATOR = "incubator", _("Incubator")
    PROCUREMENT = "procurement_intermediary", _("Procurement intermediary")


class VerificationStatus(models.TextChoices):
    UNVERIFIED = "unverified", _("Unverified")
    VERIFIED = "verified", _("Verified")
    SUSPENDED = "suspended", _("Suspended")


# The lifecycle table: the only moves `organisation_set_status` accepts.
VERIFICATION_TRANSITIONS: dict[str, frozenset[str]] = {
    VerificationStatus.UNVERIFIED: frozenset(
        {VerificationStatus.VERIFIED, VerificationStatus.SUSPENDED}
    ),
    VerificationStatus.VERIFIED: frozenset({VerificationStatus.SUSPENDED}),
    VerificationStatus.SUSPENDED: frozenset({VerificationStatus.VERIFIED}),
}


class Organisation(PublicModel):
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    country = models.ForeignKey(
        "reference.Country", on_delete=models.PROTECT, related_name="+", verbose_name=_("country")
    )
    nuts_region = models.ForeignKey(
        "reference.NutsRegion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("NUTS region"),
    )
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("contact email"), blank=True)

    # Public authorities (eForms buyer-legal-type and main-activity codelists)
    buyer_legal_type = models.ForeignKey(
        "reference.CodelistEntry",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"codelist": "buyer-legal-type"},
        verbose_name=_("buyer legal type"),
    )
    main_activity = models.ForeignKey(
        "reference.CodelistEntry",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"codelist": "main-activity"},
        verbose_name=_("main activity"),
    )
    # Companies (eForms economic-operator-size codelist)
    national_id = models.CharField(_("national registration ID"), max_length=100, blank=True)
    size = models.ForeignKey(
        "reference.CodelistEntry",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"codelist": "economic-operator-size"},
        verbose_name=_("company size"),
    )
    cpv_capabilities = models.ManyToManyField(
        "reference.CpvCode", blank=True, related_name="+", verbose_name=_("CPV capabilities")
    )
    # Intermediaries
    intermediary_type = models.CharField(
        _("intermediary type"), max_length=30, choices=IntermediaryType.choices, blank=True
    )

    status = models.CharField(
        _("verification status"),
        max_length=20,
        choices=VerificationStatus.choices,
        default=VerificationStatus.UNVERIFIED,
        db_index=True,
    )
    status_reason = models.TextField(_("reason for the last status change"), blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    suspended_at = models.DateTimeField(null=True, blank=True)

    # Records created from public data (e.g. TED notices) nobody has claimed yet: a real
    # organisation can later claim them instead of registering a duplicate.
    is_claimed = models.BooleanField(_("claimed"), default=True, db_index=True)
    source = models.CharField(_("source"), max_length=20, blank=True)  # "ted" when imported
    external_ids = models.JSONField(_("external identifiers"), default=dict, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        indexes = [models.Index(fields=["kind", "status"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_authority(self) -> bool:
        return self.kind == OrganisationKind.AUTHORITY

    @property
    def is_verified(self) -> bool:
        return self.status == VerificationStatus.VERIFIED


class Membership(PublicModel):
    """A user's place in an organisation. Every member is a member; the flags add roles.

    Buyer and evaluator exist only in public authorities.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    is_admin = models.BooleanField(_("administrator"), default=False)
    is_buyer = models.BooleanField(_("buyer"), default=False)
    is_evaluator = models.BooleanField(_("evaluator"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="uniq_membership"),
        ]
        verbose_name = _("membership")

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation}"

    @property
    def roles(self) -> list[str]:
        names = ["member"]
        if self.is_admin:
            names.append("admin")
        if self.is_buyer:
            names.append("buyer")
        if self.is_evaluator:
            names.append("evaluator")
        return names

    def get_roles_display(self) -> str:
        return ", ".join(str(ROLE_LABELS[name]) for name in self.roles)


ROLE_LABELS = {
    "member": _("Member"),
    "admin": _("Administrator"),
    "buyer": _("Buyer"),
    "evaluator": _("Evaluator"),
}


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    REVOKED = "revoked", _("Revoked")
    DECLINED = "declined", _("Declined")


class Invitation(PublicModel):
    """An admin's invitation for one email address; only the token's hash is stored."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("email address"))
    is_admin = models.BooleanField(_("administrator"), default=False)
    is_buyer = models.BooleanField(_("buyer"), default=False)
    is_evaluator = models.BooleanField(_("evaluator"), default=False)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(
        max_length=20, choices=InvitationStatus.choices, default=InvitationStatus.PENDING
    )
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        constraints = [
            # Re-inviting refreshes the pending invitation instead of piling up live tokens.
            models.UniqueConstraint(
                fields=["organisation", "email"],
                condition=models.Q(status="pending"),
                name="uniq_pending_invitation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"

    @property
    def roles(self) -> list[str]:
        names = ["member"]
        if self.is_admin:
            names.append("admin")
        if self.is_buyer:
            names.append("buyer")
        if self.is_evaluator:
            names.append("evaluator")
        return names

    def get_roles_display(self) -> str:
        return ", ".join(str(ROLE_LABELS[name]) for name in self.roles)


class JoinRequestStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class JoinRequest(PublicModel):
    """A signed-in user's request to join; an admin approves (member role only) or rejects."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="join_requests"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests"
    )
    message = models.TextField(_("message"), blank=True)
    status = models.CharField(
        max_length=20, choices=JoinRequestStatus.choices, default=JoinRequestStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("join request")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"],
                condition=models.Q(status="pending"),
                name="uniq_pending_join_request",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.organisation}"
