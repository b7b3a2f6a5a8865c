"""Every mutant of devtools/mutants.py still applies to the current tree (no mutant is run).

A mutant whose snippet is no longer in its file is reported STALE by scripts/mutants, but only
when someone runs it: 21 snippets once went stale unnoticed. This checks every one in the gate,
through the runner's own `mutated` (the same code `apply` uses before a mutant run): the snippet
occurs exactly once, and the mutated file still compiles. It also checks that the tests each
mutant runs exist, so a renamed test file cannot turn its mutants into ERRORs.
"""

from __future__ import annotations

import dataclasses
import shutil
from typing import TYPE_CHECKING

import pytest

from devtools.mutants import MUTANTS, ROOT, Mutant, StaleMutantError, apply, mutated

if TYPE_CHECKING:
    from pathlib import Path

_BY_ID = {mutant.id: mutant for mutant in MUTANTS}


def test_mutant_ids_are_unique() -> None:
    """`-k <id>` and the evidence table name a mutant by its id."""
    assert len(_BY_ID) == len(MUTANTS)


@pytest.mark.parametrize("mutant", MUTANTS, ids=lambda mutant: mutant.id)
def test_mutant_applies_to_the_current_tree(mutant: Mutant) -> None:
    """The snippet occurs once, the mutated file compiles and differs, its tests exist."""
    text = mutated(mutant, ROOT)
    assert text != (ROOT / mutant.path).read_text(encoding="utf-8")
    missing = [test for test in mutant.tests if not (ROOT / test.split("::")[0]).is_file()]
    assert not missing, f"{mutant.id} runs tests that do not exist: {missing}"


def _first() -> Mutant:
    return MUTANTS[0]


def test_a_stale_snippet_is_caught() -> None:
    """A snippet edited away from the source (one character off) is not found: stale."""
    mutant = _first()
    stale = dataclasses.replace(mutant, original=mutant.original.replace("if ", "if  ", 1))
    assert stale.original != mutant.original
    with pytest.raises(StaleMutantError, match="found 0 times"):
        mutated(stale, ROOT)
    # ... and the gate's own check fails on it.
    with pytest.raises(StaleMutantError, match="found 0 times"):
        test_mutant_applies_to_the_current_tree(stale)


def test_an_ambiguous_snippet_is_caught() -> None:
    """A snippet that occurs more than once would mutate an arbitrary place: stale."""
    ambiguous = dataclasses.replace(_first(), original="return ", replacement="return  ")
    with pytest.raises(StaleMutantError, match=r"found \d+ times .*need exactly 1"):
        mutated(ambiguous, ROOT)


def test_a_mutant_that_breaks_the_syntax_is_caught() -> None:
    """A replacement that no longer parses would fail every test for the wrong reason."""
    broken = dataclasses.replace(_first(), replacement="if (:")
    with pytest.raises(StaleMutantError, match="does not compile"):
        mutated(broken, ROOT)


def test_a_missing_file_is_caught() -> None:
    """A mutant of a file that was moved or removed."""
    moved = dataclasses.replace(_first(), path="devtools/no_such_module.py")
    with pytest.raises(StaleMutantError, match="does not exist"):
        mutated(moved, ROOT)


def test_apply_writes_exactly_the_checked_text(tmp_path: Path) -> None:
    """What the gate checks is what a mutant run writes; a stale mutant writes nothing."""
    mutant = _first()
    (tmp_path / mutant.path).parent.mkdir(parents=True)
    shutil.copy(ROOT / mutant.path, tmp_path / mutant.path)
    original = (tmp_path / mutant.path).read_text(encoding="utf-8")

    stale = dataclasses.replace(mutant, original=mutant.original + "# not in the source")
    assert apply(stale, tmp_path) is not None
    assert (tmp_path / mutant.path).read_text(encoding="utf-8") == original

    assert apply(mutant, tmp_path) is None
    assert (tmp_path / mutant.path).read_text(encoding="utf-8") == mutated(mutant, ROOT)
