"""Writes of the catalogue. Each service checks the actor's right, runs in one transaction and
records one audit event (see ``solution`` and ``adoption``)."""

from .adoption import (
    ADOPTION_FIELDS,
    ChallengeWinners,
    adoption_end,
    adoption_from_challenge,
    adoption_record,
    adoption_update,
    challenge_winners,
    review_create,
    review_update,
)
from .solution import (
    solution_archive,
    solution_create,
    solution_propose,
    solution_publish,
    solution_reopen,
    solution_request_update,
    solution_update,
    solution_withdraw_proposal,
    translation_add,
    translation_remove,
    translation_update,
)

__all__ = [
    "ADOPTION_FIELDS",
    "ChallengeWinners",
    "adoption_end",
    "adoption_from_challenge",
    "adoption_record",
    "adoption_update",
    "challenge_winners",
    "review_create",
    "review_update",
    "solution_archive",
    "solution_create",
    "solution_propose",
    "solution_publish",
    "solution_reopen",
    "solution_request_update",
    "solution_update",
    "solution_withdraw_proposal",
    "translation_add",
    "translation_remove",
    "translation_update",
]
