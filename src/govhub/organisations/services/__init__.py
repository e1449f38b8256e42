"""Writes for organisations, memberships, invitations and join requests.

Every function runs in one transaction, checks the actor's rights, and appends one audit
event tagged with the organisation so that its admins can read it.
"""

from .invitation import (
    INVITATION_TTL,
    hash_token,
    invitation_accept,
    invitation_create,
    invitation_decline,
    invitation_revoke,
)
from .membership import (
    join_request_approve,
    join_request_create,
    join_request_reject,
    membership_leave,
    membership_remove,
    membership_set_roles,
)
from .organisation import (
    organisation_create,
    organisation_reinstate,
    organisation_set_status,
    organisation_suspend,
    organisation_update,
    organisation_verify,
)

__all__ = [
    "INVITATION_TTL",
    "hash_token",
    "invitation_accept",
    "invitation_create",
    "invitation_decline",
    "invitation_revoke",
    "join_request_approve",
    "join_request_create",
    "join_request_reject",
    "membership_leave",
    "membership_remove",
    "membership_set_roles",
    "organisation_create",
    "organisation_reinstate",
    "organisation_set_status",
    "organisation_suspend",
    "organisation_update",
    "organisation_verify",
]
