from __future__ import annotations

import pytest

from govhub.accounts.models import User
from govhub.accounts.services import user_update_profile
from govhub.core.errors import InvalidInput, NotAllowed
from govhub.core.models import AuditEvent


def _state(user: User) -> tuple[str, str, str]:
    user.refresh_from_db()
    return (user.display_name, user.preferred_language, user.time_zone)


def test_user_updates_own_profile_and_it_is_audited(make_user):
    user = make_user(display_name="Old Name")

    user_update_profile(
        actor=user,
        user=user,
        display_name="  Lina Lithuania ",
        preferred_language="lt",
        time_zone="Europe/Vilnius",
    )

    assert _state(user) == ("Lina Lithuania", "lt", "Europe/Vilnius")
    event = AuditEvent.objects.get(action="user.update_profile")
    assert event.actor_id == user.pk
    assert event.object_type == "accounts.user"
    assert event.object_id == str(user.public_id)
    assert event.before == {"preferred_language": "", "time_zone": "Europe/Brussels"}
    assert event.after == {
        "preferred_language": "lt",
        "time_zone": "Europe/Vilnius",
        "display_name_changed": True,
    }
    # The append-only log must not keep personal data a user may ask to erase.
    assert "Lina" not in event.object_label
    assert user.email not in event.object_label


def test_no_preference_is_a_valid_language(make_user):
    user = make_user(preferred_language="fr")
    user_update_profile(
        actor=user, user=user, display_name="", preferred_language="", time_zone="UTC"
    )
    assert _state(user) == ("", "", "UTC")


def test_someone_else_cannot_update_a_profile(make_user):
    user = make_user(display_name="Owner")
    other = make_user()
    before = _state(user)

    with pytest.raises(NotAllowed):
        user_update_profile(
            actor=other,
            user=user,
            display_name="Hijacked",
            preferred_language="de",
            time_zone="Europe/Berlin",
        )

    assert _state(user) == before
    assert not AuditEvent.objects.exists()


def test_moderator_cannot_update_someone_elses_profile(make_user, moderator):
    user = make_user(display_name="Owner")
    before = _state(user)
    with pytest.raises(NotAllowed):
        user_update_profile(
            actor=moderator, user=user, display_name="X", preferred_language="", time_zone="UTC"
        )
    assert _state(user) == before
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "Europe", "../../etc/passwd", "", "utc "])
def test_unknown_time_zone_is_refused(make_user, zone):
    user = make_user(display_name="Owner")
    before = _state(user)

    with pytest.raises(InvalidInput) as caught:
        user_update_profile(
            actor=user, user=user, display_name="New", preferred_language="", time_zone=zone
        )

    assert "time_zone" in caught.value.field_errors
    assert _state(user) == before
    assert not AuditEvent.objects.exists()


def test_language_outside_the_offered_ones_is_refused(make_user):
    user = make_user()
    before = _state(user)
    with pytest.raises(InvalidInput) as caught:
        user_update_profile(
            actor=user, user=user, display_name="", preferred_language="xx", time_zone="UTC"
        )
    assert set(caught.value.field_errors) == {"preferred_language"}
    assert _state(user) == before
    assert not AuditEvent.objects.exists()


def test_overlong_display_name_is_refused(make_user):
    user = make_user()
    before = _state(user)
    with pytest.raises(InvalidInput) as caught:
        user_update_profile(
            actor=user, user=user, display_name="x" * 151, preferred_language="", time_zone="UTC"
        )
    assert set(caught.value.field_errors) == {"display_name"}
    assert _state(user) == before
    assert not AuditEvent.objects.exists()
