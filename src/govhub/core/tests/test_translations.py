"""The interface is really translated into French, German, Italian and Lithuanian.

The catalogues must be complete (no empty or fuzzy entry), keep every placeholder, and
hold every string the code and templates mark for translation; pages must render in the
chosen language with the right ``lang`` and with dates and numbers in its own format.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management import call_command
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

LANGUAGES = ["fr", "de", "it", "lt"]
MAKEMESSAGES = (
    "django-admin makemessages -l fr -l de -l it -l lt "
    "--ignore 'static/*' --ignore '*/tests/*' --no-obsolete"
)
SOURCE_LOCALE = Path(settings.LOCALE_PATHS[0])
SOURCE_TREE = SOURCE_LOCALE.parent
# An app may keep its own catalogues in <app>/locale (Django finds them there); its strings
# then live there and not in the project's catalogue, so apps can be translated separately.
APP_LOCALES = sorted(path for path in SOURCE_TREE.glob("*/locale") if path.is_dir())
CATALOGUES = [SOURCE_LOCALE, *APP_LOCALES]


def _name(locale: Path) -> str:
    return "govhub" if locale == SOURCE_LOCALE else locale.parent.name


# A %-placeholder as Python's % operator reads it: named or not, with flags, width and
# precision ("%(difference)+d", "%(name)s", "%s", "%%").
PLACEHOLDER = re.compile(
    r"%(?:\((?P<name>[^)]+)\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?[diouxXeEfFgGcrsa%]"
)
# Markup a translation must keep as it is, such as <strong data-criteria-total>.
TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def _catalogue(language: str, locale: Path = SOURCE_LOCALE) -> Catalog:
    path = locale / language / "LC_MESSAGES" / "django.po"
    with path.open("rb") as po_file:
        return read_po(po_file, locale=language)


def _messages(catalog: Catalog) -> list[Message]:
    return [message for message in catalog if message.id]


def _placeholders(text: str) -> Counter[str]:
    return Counter(match.group(0) for match in PLACEHOLDER.finditer(text))


def _is_formatted(message: Message) -> bool:
    """Only strings used with % need matching placeholders; ‘-30% fewer’ in a hint is text."""
    ids = [message.id] if isinstance(message.id, str) else list(message.id)
    return "python-format" in message.flags or any("%(" in text for text in ids)


def _pairs(message: Message) -> list[tuple[str, str]]:
    """Source and translation; a plural form is picked by a count, so it pairs with the plural."""
    strings = [message.string] if isinstance(message.string, str) else list(message.string or ())
    if isinstance(message.id, str):
        return [(message.id, str(strings[0] if strings else ""))]
    return [(message.id[1], str(form)) for form in strings]


def _key(message: Message) -> tuple[str | None, str]:
    msgid = message.id if isinstance(message.id, str) else message.id[0]
    return (message.context, msgid)


# Completeness ------------------------------------------------------------------------------


@pytest.mark.parametrize("locale", CATALOGUES, ids=_name)
@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_exists_and_is_complete(language, locale):
    catalog = _catalogue(language, locale)
    messages = _messages(catalog)
    if locale == SOURCE_LOCALE:
        assert len(messages) > 500, "the catalogue looks truncated"
    assert not catalog.fuzzy, "the catalogue header is still marked fuzzy"
    untranslated = [_key(m)[1] for m in messages if not all(text for _, text in _pairs(m))]
    assert untranslated == [], (
        f"{len(untranslated)} untranslated in {language}: {untranslated[:10]}"
    )
    short = [
        _key(m)[1] for m in messages if m.pluralizable and len(_pairs(m)) != catalog.num_plurals
    ]
    assert short == [], f"plural forms missing in {language}: {short[:10]}"
    fuzzy = [_key(m)[1] for m in messages if m.fuzzy]
    assert fuzzy == [], f"{len(fuzzy)} fuzzy in {language}: {fuzzy[:10]}"


@pytest.mark.parametrize("locale", CATALOGUES, ids=_name)
@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_placeholders_and_markup(language, locale):
    problems = []
    for message in _messages(_catalogue(language, locale)):
        for source, translated in _pairs(message):
            if _is_formatted(message) and _placeholders(source) != _placeholders(translated):
                problems.append((source, translated))
            if sorted(TAG.findall(source)) != sorted(TAG.findall(translated)):
                problems.append((source, translated))
    assert problems == [], f"{len(problems)} broken in {language}: {problems[:5]}"


@pytest.mark.parametrize("locale", CATALOGUES, ids=_name)
@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_are_not_the_english_copied(language, locale):
    """A ‘translation’ that repeats the English is allowed only for names and codes."""
    same = [
        m.id
        for m in _messages(_catalogue(language, locale))
        if isinstance(m.id, str) and m.string == m.id and re.search(r"[a-z]{3} [a-z]{3}", m.id)
    ]
    assert same == [], f"{len(same)} copied from English in {language}: {same[:10]}"


def test_lithuanian_uses_djangos_plural_forms():
    """Django and allauth share one plural rule for lt; ours must be the same to merge with it."""
    ours = _catalogue("lt")
    django_po = Path(translation.__file__).parents[2] / "conf/locale/lt/LC_MESSAGES/django.po"
    with django_po.open("rb") as po_file:
        djangos = read_po(po_file, locale="lt")
    assert ours.num_plurals == djangos.num_plurals == 4
    assert ours.plural_expr == djangos.plural_expr


# Up to date --------------------------------------------------------------------------------


def _extract(tree: Path, scratch: Path) -> set[tuple[str | None, str]]:
    """The msgids ``makemessages`` extracts from ``tree`` (a scratch copy of source files)."""
    locale = scratch / "locale"
    (locale / "fr").mkdir(parents=True)
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(tree)
        # makemessages writes beside the first LOCALE_PATHS entry that contains the files.
        patch.setattr(settings, "LOCALE_PATHS", [str(locale)])
        call_command(
            "makemessages",
            locale=["fr"],
            ignore_patterns=["static/*", "*/tests/*"],
            keep_pot=True,
            verbosity=0,
        )
    pot_path = locale / "django.pot"
    if not pot_path.exists():  # nothing marked for translation
        return set()
    # A template's header leaves the plural rule blank, which Babel refuses to read.
    pot = pot_path.read_bytes()
    pot = pot.replace(b"nplurals=INTEGER; plural=EXPRESSION;", b"nplurals=2; plural=(n != 1);")
    return {_key(m) for m in _messages(read_po(io.BytesIO(pot)))}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> dict[Path, set[tuple[str | None, str]]]:
    """For each catalogue, the msgids ``makemessages`` extracts today from its sources."""
    if shutil.which("xgettext") is None:
        pytest.skip("GNU gettext (xgettext) is not installed, so makemessages cannot run")
    found = {}
    own_apps = {locale.parent.name for locale in APP_LOCALES}
    for locale in CATALOGUES:
        root = tmp_path_factory.mktemp("extract")
        source = SOURCE_TREE if locale == SOURCE_LOCALE else locale.parent
        tree = root / source.name
        # The project catalogue leaves out the apps that keep their own.
        skip = own_apps if locale == SOURCE_LOCALE else set()
        shutil.copytree(
            source,
            tree,
            ignore=lambda directory, names, skip=skip, source=source: [
                name
                for name in names
                if name in {"locale", "static", "__pycache__"}
                or name.endswith((".pyc", ".mo"))
                or (Path(directory) == source and name in skip)
            ],
        )
        found[locale] = _extract(tree, root)
    return found


@pytest.mark.parametrize("locale", CATALOGUES, ids=_name)
@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogues_hold_every_string_marked_for_translation(language, locale, extracted):
    present = {_key(m) for m in _messages(_catalogue(language, locale))}
    missing = sorted(msgid for _, msgid in extracted[locale] - present)
    where = "src/govhub" if locale == SOURCE_LOCALE else f"src/govhub/{locale.parent.name}"
    assert missing == [], (
        f"{len(missing)} string(s) not in the {language} catalogue of {_name(locale)}, such as "
        f"{missing[:5]}. Run `{MAKEMESSAGES}` in {where}, translate them, then "
        "`govhub compile-translations`."
    )


# Rendering ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def compiled_locale(tmp_path_factory) -> Path:
    """The catalogues compiled by ``govhub compile-translations`` into a scratch copy."""
    locale = tmp_path_factory.mktemp("compiled") / "locale"
    shutil.copytree(SOURCE_LOCALE, locale, ignore=shutil.ignore_patterns("*.mo"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(settings, "LOCALE_PATHS", [str(locale)])
        call_command("compile_translations", verbosity=0)
    assert len(list(locale.glob("*/LC_MESSAGES/django.mo"))) == len(LANGUAGES)
    return locale


@pytest.fixture
def translated(settings, compiled_locale) -> None:
    # Changing LOCALE_PATHS makes Django drop the translations it has already loaded.
    settings.LOCALE_PATHS = [str(compiled_locale)]


def _h1(html: str) -> str:
    found = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    assert found, "the page has no h1"
    return re.sub(r"<[^>]+>", "", found.group(1)).strip()


def _in(language: str, english: str) -> str:
    with translation.override(language):
        return translation.gettext(english)


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    ("url_name", "heading"),
    [
        ("web:home", "Buy innovation together"),
        ("account_login", "Sign in"),
        ("account_signup", "Create an account"),
        ("account_reset_password", "Reset your password"),
    ],
)
def test_pages_render_in_the_chosen_language(client, translated, language, url_name, heading):
    with translation.override(language):
        url = reverse(url_name)
    assert url.startswith(f"/{language}/")
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}"' in html
    expected = _in(language, heading)
    assert expected != heading
    assert _h1(html) == expected


@pytest.mark.django_db
def test_language_switcher_offers_each_language_in_its_own_name(client, translated):
    html = client.get("/lt/").content.decode()
    for code, name in [("en", "English"), ("fr", "Français"), ("de", "Deutsch")]:
        assert f'lang="{code}" hreflang="{code}">{name}</a>' in html
    assert 'hreflang="it">Italiano</a>' in html
    assert 'aria-current="true" lang="lt">Lietuvių</span>' in html


@pytest.mark.django_db
def test_allauth_messages_are_translated_too(client, translated):
    """allauth's own strings (here a failed sign-in) come from allauth's catalogues."""
    with translation.override("de"):
        url = reverse("account_login")
    response = client.post(url, {"login": "nobody@example.eu", "password": "not-this-one"})
    html = response.content.decode()
    assert "not correct" not in html
    assert _in("de", "The email address and/or password you specified are not correct.") in html


def _render(language: str, source: str, **context: Any) -> str:
    with translation.override(language):
        return Template(source).render(Context(context))


@pytest.mark.parametrize(
    ("language", "date", "number"),
    [
        # English keeps GOV.UK's "17 March 2027" (govhub.formats), not Django's "March 17, 2027".
        ("en", "17 March 2027", "1,234,567.50"),
        ("lt", "2027 m. kovo 17 d.", "1.234.567,50"),
        ("de", "17. März 2027", "1.234.567,50"),
        ("fr", "17 mars 2027", "1\xa0234\xa0567,50"),
        ("it", "17 Marzo 2027", "1.234.567,50"),
    ],
)
def test_dates_and_numbers_follow_the_language(language, date, number):
    day = dt.date(2027, 3, 17)
    amount = Decimal("1234567.5")
    assert _render(language, '{{ d|date:"DATE_FORMAT" }}', d=day) == date
    assert _render(language, '{{ n|floatformat:"2g" }}', n=amount) == number
    grouped = _render(language, "{% load humanize %}{{ n|intcomma }}", n=1234567)
    assert grouped == number[:-3]  # the same grouping, without the decimals
