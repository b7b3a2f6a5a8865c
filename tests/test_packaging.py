"""Packaging conformance: what HACS, hassfest and Home Assistant's loader check before users do.

The HACS action and hassfest only run on GitHub; these tests encode their rules (HACS's
hacs.json schema, hassfest's manifest, services and quality-scale checks) so a broken package
fails here first. Where Home Assistant ships the check itself (the custom-integration loader's
version validation, brand discovery), the installed Home Assistant does the checking.
"""

from __future__ import annotations

import json
from pathlib import Path
import re
from typing import TYPE_CHECKING, Any, get_type_hints

from awesomeversion import AwesomeVersion
from homeassistant import loader
from homeassistant.util import slugify
from PIL import Image
import pytest
import yaml

from custom_components.pressure_mask import services as services_module

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

ROOT = Path(__file__).resolve().parent.parent
INTEGRATION = ROOT / "custom_components" / "pressure_mask"
DOMAIN = "pressure_mask"


def _json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


# --- hacs.json: HACS_MANIFEST_JSON_SCHEMA uses PREVENT_EXTRA, unknown keys fail --------------

HACS_KEYS = {
    "name",
    "content_in_root",
    "zip_release",
    "filename",
    "hide_default_branch",
    "country",
    "homeassistant",
    "persistent_directory",
    "hacs",
    "render_readme",
}


def test_hacs_json_has_only_known_keys_and_a_name() -> None:
    hacs = _json(ROOT / "hacs.json")
    assert set(hacs) <= HACS_KEYS, f"unknown hacs.json keys: {set(hacs) - HACS_KEYS}"
    assert isinstance(hacs["name"], str)
    assert hacs["name"]


def test_hacs_json_values_have_the_schema_types() -> None:
    hacs = _json(ROOT / "hacs.json")
    for key in ("content_in_root", "zip_release", "hide_default_branch", "render_readme"):
        assert isinstance(hacs.get(key, False), bool), key
    if hacs.get("zip_release"):
        assert isinstance(hacs.get("filename"), str), "zip_release needs filename"
    country = hacs.get("country", [])
    for code in [country] if isinstance(country, str) else country:
        assert re.fullmatch(r"[A-Z]{2}", code), code


def test_hacs_json_minimum_home_assistant_is_the_supported_one() -> None:
    minimum = AwesomeVersion(_json(ROOT / "hacs.json")["homeassistant"])
    assert minimum >= AwesomeVersion("2026.10.0")


def test_license_is_an_osi_license() -> None:
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")


# --- manifest.json: hassfest's CUSTOM_INTEGRATION_MANIFEST_SCHEMA ------------------------------


def test_manifest_has_every_key_hassfest_requires() -> None:
    manifest = _json(INTEGRATION / "manifest.json")
    assert manifest["domain"] == INTEGRATION.name == DOMAIN
    assert isinstance(manifest["name"], str)
    assert manifest["name"]
    assert isinstance(manifest["codeowners"], list)
    assert manifest["codeowners"]
    assert all(owner.startswith("@") for owner in manifest["codeowners"])
    for key in ("documentation", "issue_tracker"):
        assert re.fullmatch(r"https://\S+", manifest[key]), key
    assert manifest["iot_class"] == "local_push"
    assert manifest["integration_type"] == "device"
    assert manifest["config_flow"] is True
    assert (INTEGRATION / "config_flow.py").is_file(), "config_flow: true needs config_flow.py"
    assert "bluetooth_adapters" in manifest["dependencies"]
    assert isinstance(manifest.get("requirements", []), list)


def test_manifest_keys_are_in_hassfest_order() -> None:
    """hassfest: domain, name, then the other keys in alphabetical order."""
    keys = list(_json(INTEGRATION / "manifest.json"))
    assert keys[:2] == ["domain", "name"]
    assert keys[2:] == sorted(keys[2:])


def test_manifest_keys_are_known_to_home_assistant() -> None:
    known = set(get_type_hints(loader.Manifest)) - {"is_built_in", "overwrites_built_in"}
    manifest = _json(INTEGRATION / "manifest.json")
    assert set(manifest) <= known, f"unknown manifest keys: {set(manifest) - known}"


def test_manifest_bluetooth_matchers_are_connectable_and_valid() -> None:
    matchers = _json(INTEGRATION / "manifest.json")["bluetooth"]
    assert matchers
    for matcher in matchers:
        assert matcher.get("connectable") is True, matcher
        if "local_name" in matcher:
            # hassfest: no wildcard in the first three characters of a local_name matcher.
            assert not set(matcher["local_name"][:3]) & set("*?["), matcher


async def test_home_assistant_loads_the_integration_with_its_brand(hass: HomeAssistant) -> None:
    """The loader blocks a custom integration whose version AwesomeVersion cannot parse."""
    integrations = await loader.async_get_custom_components(hass)
    integration = integrations[DOMAIN]
    assert integration.version == AwesomeVersion(_json(INTEGRATION / "manifest.json")["version"])
    assert integration.has_branding


def test_async_setup_comes_with_a_config_schema() -> None:
    """hassfest: an integration with async_setup defines CONFIG_SCHEMA (here: entries only)."""
    source = (INTEGRATION / "__init__.py").read_text(encoding="utf-8")
    assert "async def async_setup(" in source
    assert re.search(
        r"^CONFIG_SCHEMA = cv\.config_entry_only_config_schema\(DOMAIN\)", source, re.M
    )


# --- brand images: served by Home Assistant 2026.3+ from custom_components/<domain>/brand/ ----


@pytest.mark.parametrize(
    ("name", "size"),
    [
        ("icon.png", (256, 256)),
        ("icon@2x.png", (512, 512)),
        ("dark_icon.png", (256, 256)),
        ("dark_icon@2x.png", (512, 512)),
    ],
)
def test_brand_icons_have_the_brand_sizes(name: str, size: tuple[int, int]) -> None:
    with Image.open(INTEGRATION / "brand" / name) as image:
        assert image.format == "PNG"
        assert image.size == size
        assert image.mode == "RGBA", "brand images need a transparent background"


@pytest.mark.parametrize(
    ("name", "shortest"),
    [
        ("logo.png", (128, 256)),
        ("logo@2x.png", (256, 512)),
        ("dark_logo.png", (128, 256)),
        ("dark_logo@2x.png", (256, 512)),
    ],
)
def test_brand_logos_have_the_brand_sizes(name: str, shortest: tuple[int, int]) -> None:
    with Image.open(INTEGRATION / "brand" / name) as image:
        assert image.format == "PNG"
        assert image.mode == "RGBA"
        assert shortest[0] <= min(image.size) <= shortest[1]


# --- services: hassfest requires names and descriptions from the translations -----------------


def test_every_service_and_field_is_translated_and_has_an_icon() -> None:
    services = yaml.safe_load((INTEGRATION / "services.yaml").read_text(encoding="utf-8"))
    translations = _json(INTEGRATION / "translations" / "en.json")["services"]
    icons = _json(INTEGRATION / "icons.json")["services"]
    assert services
    for service, spec in services.items():
        text = translations[service]
        assert text["name"], service
        assert text["description"], service
        for field in (spec or {}).get("fields", {}):
            assert text["fields"][field]["name"], f"{service}.{field}"
            assert text["fields"][field]["description"], f"{service}.{field}"
        assert icons[service]["service"].startswith("mdi:"), service
    assert set(translations) == set(services), "translations for services that do not exist"


def test_services_are_documented() -> None:
    functions = (ROOT / "docs" / "functions.md").read_text(encoding="utf-8")
    services = yaml.safe_load((INTEGRATION / "services.yaml").read_text(encoding="utf-8"))
    for service in services:
        assert f"pressure_mask.{service}" in functions, service


# --- entity ids written in the dashboard and the docs exist --------------------------------

DEMO_SLUG = "pmask_1a2b"
ENTITY_ID = re.compile(rf"\b([a-z_]+)\.{DEMO_SLUG}_([a-z0-9_]+)\b")


def _generated_entity_ids() -> set[str]:
    """Entity ids Home Assistant generates for a mask named PMASK-1A2B (has_entity_name).

    Translated names come from translations/en.json; entities named by their device class
    (battery, signal strength) take the name from the platform's own translations.
    """
    names: set[str] = set()
    for platform, entities in _json(INTEGRATION / "translations" / "en.json")["entity"].items():
        names |= {f"{platform}.{slugify(entity['name'])}" for entity in entities.values()}
    components = Path(loader.__file__).parent / "components"
    for platform in ("sensor", "binary_sensor"):
        classes = _json(components / platform / "translations" / "en.json")["entity_component"]
        names |= {f"{platform}.{slugify(c['name'])}" for c in classes.values() if "name" in c}
    return {name.replace(".", f".{DEMO_SLUG}_", 1) for name in names}


@pytest.mark.parametrize(
    "document",
    ["dashboards/pressure_mask.yaml", "docs/functions.md", "docs/use-cases.md", "README.md"],
)
def test_entity_ids_in_the_dashboard_and_docs_exist(document: str) -> None:
    text = (ROOT / document).read_text(encoding="utf-8")
    written = {f"{domain}.{DEMO_SLUG}_{rest}" for domain, rest in ENTITY_ID.findall(text)}
    assert written <= _generated_entity_ids(), sorted(written - _generated_entity_ids())


def test_the_example_dashboard_is_built_on_the_card() -> None:
    """The example needs no entity ids: the card finds the mask through the registry."""
    dashboard = yaml.safe_load((ROOT / "dashboards" / "pressure_mask.yaml").read_text("utf-8"))
    cards = [card for view in dashboard["views"] for card in view["cards"]]
    assert cards == [{"type": "custom:pressure-mask-card"}]


ACTION_SCHEMAS = {
    f"{DOMAIN}.start_session": services_module.START_SESSION_SCHEMA,
    f"{DOMAIN}.run_custom_routine": services_module.RUN_CUSTOM_ROUTINE_SCHEMA,
    f"{DOMAIN}.stop_session": services_module.STOP_SESSION_SCHEMA,
}


def _actions(node: Any) -> list[dict[str, Any]]:
    """Every `action: pressure_mask.*` step in a parsed YAML document."""
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        if str(node.get("action", "")).startswith(f"{DOMAIN}."):
            found.append(node)
        for value in node.values():
            found += _actions(value)
    elif isinstance(node, list):
        for value in node:
            found += _actions(value)
    return found


def test_automation_examples_call_the_actions_as_services_yaml_defines_them() -> None:
    services = yaml.safe_load((INTEGRATION / "services.yaml").read_text(encoding="utf-8"))
    text = (ROOT / "docs" / "use-cases.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", text, re.S)
    steps = [step for block in blocks for step in _actions(yaml.safe_load(block))]
    assert {step["action"] for step in steps} == {f"{DOMAIN}.{name}" for name in services}
    for step in steps:
        fields = (services[step["action"].split(".", 1)[1]] or {}).get("fields", {})
        assert set(step.get("data", {})) <= set(fields), step
        if "routine" in step.get("data", {}):
            options = fields["routine"]["selector"]["select"]["options"]
            assert step["data"]["routine"] in options, step
        schema = ACTION_SCHEMAS.get(step["action"])
        if schema is not None:
            schema(step["data"])  # the action's own validator accepts the example


@pytest.mark.parametrize(
    "document",
    sorted(str(p.relative_to(ROOT)) for p in [ROOT / "README.md", *ROOT.glob("docs/*.md")]),
)
def test_relative_links_in_the_docs_resolve(document: str) -> None:
    path = ROOT / document
    targets = re.findall(r"\]\(([^)\s#]+)(?:#[^)]*)?\)", path.read_text(encoding="utf-8"))
    local = [target for target in targets if not re.match(r"[a-z]+:", target)]
    missing = [target for target in local if not (path.parent / target).exists()]
    assert not missing


# --- quality_scale.yaml: every rule of the 2026 Integration Quality Scale ---------------------

QUALITY_SCALE_RULES = {
    # Bronze
    "action-setup",
    "appropriate-polling",
    "brands",
    "common-modules",
    "config-flow",
    "config-flow-test-coverage",
    "dependency-transparency",
    "docs-actions",
    "docs-conditions",
    "docs-high-level-description",
    "docs-installation-instructions",
    "docs-removal-instructions",
    "docs-triggers",
    "entity-event-setup",
    "entity-unique-id",
    "has-entity-name",
    "runtime-data",
    "test-before-configure",
    "test-before-setup",
    "unique-config-entry",
    # Silver
    "action-exceptions",
    "config-entry-unloading",
    "docs-configuration-parameters",
    "docs-installation-parameters",
    "entity-unavailable",
    "integration-owner",
    "log-when-unavailable",
    "parallel-updates",
    "reauthentication-flow",
    "test-coverage",
    # Gold
    "devices",
    "diagnostics",
    "discovery",
    "discovery-update-info",
    "docs-data-update",
    "docs-examples",
    "docs-known-limitations",
    "docs-supported-devices",
    "docs-supported-functions",
    "docs-troubleshooting",
    "docs-use-cases",
    "dynamic-devices",
    "entity-category",
    "entity-device-class",
    "entity-disabled-by-default",
    "entity-translations",
    "exception-translations",
    "icon-translations",
    "reconfiguration-flow",
    "repair-issues",
    "stale-devices",
    # Platinum
    "async-dependency",
    "inject-websession",
    "strict-typing",
}


def test_quality_scale_rates_every_rule_honestly() -> None:
    rules = yaml.safe_load((INTEGRATION / "quality_scale.yaml").read_text(encoding="utf-8"))[
        "rules"
    ]
    assert set(rules) == QUALITY_SCALE_RULES
    for rule, value in rules.items():
        entry = value if isinstance(value, dict) else {"status": value}
        assert entry["status"] in {"done", "todo", "exempt"}, rule
        if entry["status"] == "exempt":
            assert entry.get("comment"), f"{rule}: hassfest requires a comment for exempt"


def test_quality_scale_rule_list_matches_home_assistant() -> None:
    """Home Assistant's own integrations rate exactly these rules (casper_glow is platinum)."""
    core = Path(loader.__file__).parent / "components" / "casper_glow" / "quality_scale.yaml"
    assert set(yaml.safe_load(core.read_text(encoding="utf-8"))["rules"]) == QUALITY_SCALE_RULES
