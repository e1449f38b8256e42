"""Writes for innovation needs and pooled interest. Each service is one transaction that
checks the actor's rights, moves lifecycles through their tables and writes one audit event
(``mark_converted`` excepted: it is a step of the challenges service, which audits it)."""

from ..rules import need_facts
from .interest import need_express_interest, need_withdraw_interest
from .need import (
    UNSET,
    mark_converted,
    need_create,
    need_publish,
    need_update,
    need_withdraw,
)

__all__ = [
    "UNSET",
    "mark_converted",
    "need_create",
    "need_express_interest",
    "need_facts",
    "need_publish",
    "need_update",
    "need_withdraw",
    "need_withdraw_interest",
]
