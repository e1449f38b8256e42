from __future__ import annotations

import pytest

from govhub.notifications.demo import build_demo
from govhub.notifications.models import Notification, NotificationPreference

pytestmark = pytest.mark.django_db


def test_build_demo_fills_demo_inboxes_once(make_user, outsider):
    cleo = make_user("citizen@govhub.example")
    sofia = make_user("supplier@govhub.example")
    assert build_demo() == ["notifications: 4 notification(s) in 2 demo inboxes"]
    assert build_demo() == ["notifications: demo inboxes already present"]
    assert Notification.objects.filter(recipient=cleo).count() == 2
    assert not Notification.objects.filter(recipient=outsider).exists()
    assert NotificationPreference.objects.get(user=sofia).mode == "digest"
