from __future__ import annotations

from django.urls import reverse

from govhub.core.models import AuditEvent

PROFILE = "/accounts/profile/"


def test_profile_url():
    assert reverse("accounts:profile") == PROFILE


def test_profile_needs_sign_in(client, db):
    response = client.get(PROFILE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_profile_page_shows_the_current_values(client, make_user):
    user = make_user(display_name="Pia Profile", time_zone="Europe/Rome")
    client.force_login(user)

    response = client.get(PROFILE)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert 'value="Pia Profile"' in html
    assert 'value="Europe/Rome"' in html
    for code in ("en", "fr", "de", "it", "lt"):
        assert f'<option value="{code}"' in html


def test_dashboard_links_to_the_profile(client, make_user):
    client.force_login(make_user())
    assert f'href="{PROFILE}"' in client.get(reverse("web:dashboard")).content.decode()


def test_saving_the_profile_updates_it_and_switches_language(client, make_user):
    user = make_user()
    client.force_login(user)

    response = client.post(
        PROFILE,
        {"display_name": "Lukas", "preferred_language": "lt", "time_zone": "Europe/Vilnius"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/lt" + PROFILE
    user.refresh_from_db()
    assert (user.display_name, user.preferred_language, user.time_zone) == (
        "Lukas",
        "lt",
        "Europe/Vilnius",
    )
    assert AuditEvent.objects.filter(action="user.update_profile", actor=user).count() == 1
    page = client.get(response["Location"])
    assert '<html lang="lt"' in page.content.decode()


def test_saving_without_language_preference_stays_on_the_page_language(client, make_user):
    user = make_user(preferred_language="de")
    client.force_login(user)
    response = client.post(
        "/fr" + PROFILE, {"display_name": "", "preferred_language": "", "time_zone": "UTC"}
    )
    assert response["Location"] == "/fr" + PROFILE
    user.refresh_from_db()
    assert user.preferred_language == ""


def test_bad_time_zone_shows_a_field_error_and_keeps_the_input(client, make_user):
    user = make_user(display_name="Before", time_zone="Europe/Brussels")
    client.force_login(user)

    response = client.post(
        PROFILE,
        {"display_name": "After", "preferred_language": "fr", "time_zone": "Mars/Olympus_Mons"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["form"].errors["time_zone"]
    assert "govuk-error-summary" in html
    assert 'href="#id_time_zone"' in html
    assert 'value="Mars/Olympus_Mons"' in html  # what they typed, to correct it
    assert 'value="After"' in html
    assert "govuk-input--error" in html
    user.refresh_from_db()
    assert (user.display_name, user.time_zone) == ("Before", "Europe/Brussels")
    assert not AuditEvent.objects.exists()


def test_unknown_language_is_refused_by_the_form(client, make_user):
    user = make_user()
    client.force_login(user)
    response = client.post(
        PROFILE, {"display_name": "", "preferred_language": "xx", "time_zone": "UTC"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["preferred_language"]
    assert not AuditEvent.objects.exists()
