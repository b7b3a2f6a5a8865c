"""The device library must not depend on Home Assistant."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

LIBRARY = Path(__file__).parents[2] / "custom_components" / "pressure_mask" / "mask_ble"


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, absolute names only."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
        elif isinstance(node, ast.ImportFrom) and node.level > 1:
            names.add("." * node.level + (node.module or ""))
    return names


def test_library_files_exist() -> None:
    assert len(list(LIBRARY.glob("*.py"))) >= 6


@pytest.mark.parametrize("path", sorted(LIBRARY.glob("*.py")), ids=lambda path: path.name)
def test_no_homeassistant_imports(path: Path) -> None:
    for name in imported_modules(path):
        assert name.split(".")[0] != "homeassistant", f"{path.name} imports {name}"
        # Reaching up into the integration package would pull Home Assistant in indirectly.
        assert not name.startswith(".."), f"{path.name} imports {name} from outside the library"
        assert not name.startswith("custom_components"), f"{path.name} imports {name}"
