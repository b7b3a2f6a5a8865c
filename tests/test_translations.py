"""Every language says everything English says, with the same placeholders, in hassfest's rules.

English (translations/en.json) is the source of truth. Each other language must have exactly its
keys and, for every string, exactly its placeholders: a missing key shows the person English in
the middle of their language, a missing placeholder drops a number from a safety message, and an
unknown one makes Home Assistant show the raw template. hassfest only checks en.json of a custom
integration, and only on GitHub; its translation rules (script/hassfest/translations.py in
home-assistant/core) are checked here on every language file, as far as they apply to strings
rather than to the integration's manifest.
"""

from __future__ import annotations

import json
from pathlib import Path
import re
import string
from typing import Any

from homeassistant.helpers import config_validation as cv
import pytest
import voluptuous as vol

from custom_components.pressure_mask.const import DOCS_URL

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "custom_components" / "pressure_mask" / "translations"
DOCS = ROOT / "docs"

# The languages the integration promises (issue 14): German, French, Spanish, Italian, Dutch,
# Polish, Portuguese (Brazil) and Swedish. Any other file in translations/ is checked too.
LANGUAGES = ("de", "fr", "es", "it", "nl", "pl", "pt-BR", "sv")
OTHER_FILES = sorted(p.stem for p in TRANSLATIONS.glob("*.json") if p.stem != "en")
ALL_FILES = ["en", *OTHER_FILES]

# hassfest's rules for a translation value (validate_translation_value):
# a placeholder in single quotes ('{name}') is refused,
SINGLE_QUOTED_PLACEHOLDER = re.compile(r"'{\w+}'")
# so is a reference combined with other text ("Hello [%key:common::name%]"),
COMBINED_REFERENCE = re.compile(r"(.+\[%)|(%\].+)")
# and so is a URL: links come in through description placeholders.
URL = re.compile(
    r"(((ftp|ftps|scp|http|https|mqtt|mqtts|socket|socks5):\/\/|www\.)"
    r"[a-z0-9]+([\-\.]{1}[a-z0-9]+)*\.[a-z]{2,5}(:[0-9]{1,5})?(\/.*)?)",
    re.IGNORECASE,
)
# Keys of entities, states, services and selector options (translation_key_validator).
TRANSLATION_KEY = re.compile(r"^(?!.+[_-]{2})(?![_-])[a-z0-9-_]+(?<![_-])$")

# A link to the docs in a translation: [text]({docs_url}/page.md#anchor).
DOCS_LINK = re.compile(r"\]\(\{docs_url\}/([^)#\s]+)(?:#([^)\s]*))?\)")

# Strings of at least this many words that read exactly as in English were not translated.
WORDS_THAT_MUST_BE_TRANSLATED = 4


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _ in pairs]
    duplicates = {key for key in keys if keys.count(key) > 1}
    assert not duplicates, f"duplicate keys {duplicates}"
    return dict(pairs)


def _load(code: str) -> dict[str, Any]:
    text = (TRANSLATIONS / f"{code}.json").read_text(encoding="utf-8")
    data = json.loads(text, object_pairs_hook=_no_duplicate_keys)
    assert isinstance(data, dict)
    return data


def _strings(tree: dict[str, Any], prefix: tuple[str, ...] = ()) -> dict[tuple[str, ...], Any]:
    """Every leaf by its key path; a leaf that is not a string is kept so the test can fail."""
    leaves: dict[tuple[str, ...], Any] = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            leaves.update(_strings(value, (*prefix, key)))
        else:
            leaves[(*prefix, key)] = value
    return leaves


def _placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def _allows_placeholders(path: tuple[str, ...]) -> bool:
    """hassfest refuses placeholders in entity states and state attributes (names and states)."""
    return not (path[0] == "entity" and ("state" in path[3:] or "state_attributes" in path[3:]))


def _hassfest_problems(path: tuple[str, ...], value: Any) -> list[str]:
    if not isinstance(value, str):
        return [f"not a string: {value!r}"]
    problems = []
    if not value.strip():
        problems.append("empty")
    try:
        cv.string_with_no_html(value)
    except vol.Invalid:
        problems.append("contains HTML")
    if SINGLE_QUOTED_PLACEHOLDER.search(value):
        problems.append("placeholder in single quotes")
    try:
        fields = _placeholders(value)
    except ValueError as err:
        problems.append(f"unbalanced braces ({err})")
        fields = set()
    if any(not field.isidentifier() for field in fields):
        problems.append("placeholder that is not an identifier")
    if fields and not _allows_placeholders(path):
        problems.append("placeholder where hassfest allows none")
    if COMBINED_REFERENCE.search(value):
        problems.append("combined reference")
    if value != value.strip():
        problems.append("leading or trailing whitespace")
    if URL.search(value):
        problems.append("URL (use a description placeholder)")
    return problems


def test_every_promised_language_has_a_file() -> None:
    assert set(LANGUAGES) <= set(OTHER_FILES)


@pytest.mark.parametrize("code", ALL_FILES)
def test_strings_follow_hassfests_rules(code: str) -> None:
    problems = {
        "::".join(path): found
        for path, value in _strings(_load(code)).items()
        if (found := _hassfest_problems(path, value))
    }
    assert not problems


def test_english_keys_follow_hassfests_rules() -> None:
    """Keys are the same in every language (see below), so checking English checks them all."""
    english = _load("en")
    structure = {"state", "state_attributes", "options", "fields", "name", "description"}
    bad = [
        "::".join(path)
        for path in _strings(english)
        if path[0] in {"entity", "services", "selector"}
        and any(key not in structure and not TRANSLATION_KEY.match(key) for key in path[1:])
    ]
    assert not bad
    for flow in ("config", "options"):
        for step_id, step in english[flow]["step"].items():
            extra = set(step.get("data_description", {})) - set(step.get("data", {}))
            assert not extra, f"{flow} step {step_id}: data_description without data: {extra}"


@pytest.mark.parametrize("code", OTHER_FILES)
def test_language_has_exactly_the_english_keys(code: str) -> None:
    english = set(_strings(_load("en")))
    translated = set(_strings(_load(code)))
    assert sorted("::".join(p) for p in english - translated) == [], "missing"
    assert sorted("::".join(p) for p in translated - english) == [], "not in English"


@pytest.mark.parametrize("code", OTHER_FILES)
def test_language_has_the_english_placeholders_in_every_string(code: str) -> None:
    english = _strings(_load("en"))
    translated = _strings(_load(code))
    different = {
        "::".join(path): (sorted(_placeholders(text)), sorted(_placeholders(translated[path])))
        for path, text in english.items()
        if path in translated and _placeholders(text) != _placeholders(translated[path])
    }
    assert not different


@pytest.mark.parametrize("code", OTHER_FILES)
def test_language_is_translated_not_copied(code: str) -> None:
    english = _strings(_load("en"))
    translated = _strings(_load(code))
    copied = [
        "::".join(path)
        for path, text in english.items()
        if len(text.split()) >= WORDS_THAT_MUST_BE_TRANSLATED and translated.get(path) == text
    ]
    assert not copied


def _heading_anchors(markdown: str) -> set[str]:
    """GitHub's ids for headings: lower case, punctuation dropped, spaces as hyphens."""
    headings = re.findall(r"^#+ (.+)$", markdown, re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-") for heading in headings}


def test_docs_url_is_the_manifests_documentation() -> None:
    manifest = json.loads((TRANSLATIONS.parent / "manifest.json").read_text(encoding="utf-8"))
    assert f"{manifest['documentation']}/blob/main/docs" == DOCS_URL


@pytest.mark.parametrize("code", ALL_FILES)
def test_contraindications_link_the_page_in_the_same_language(code: str) -> None:
    """The contraindication step links the full list, in the language the person reads."""
    description = _load(code)["config"]["step"]["confirm"]["description"]
    links = DOCS_LINK.findall(description)
    assert links, "the contraindication step links the docs"
    own = "safety.md" if code == "en" else f"contraindications.{code}.md"
    for page, anchor in links:
        assert page == own
        assert (DOCS / page).is_file()
        assert not anchor or anchor in _heading_anchors((DOCS / page).read_text(encoding="utf-8"))


@pytest.mark.parametrize("code", OTHER_FILES)
def test_contraindications_page_names_the_switch_as_home_assistant_shows_it(code: str) -> None:
    switch = _load(code)["entity"]["switch"]["safety_acknowledgement"]["name"]
    page = (DOCS / f"contraindications.{code}.md").read_text(encoding="utf-8")
    assert f"*{switch}*" in page
    assert "[safety.md](safety.md)" in page, "links the full English safety page"
