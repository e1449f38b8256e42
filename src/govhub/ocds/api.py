"""REST API endpoints of the ocds app (mounted by govhub.api.api under /api/v1/)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["ocds"])
