"""The conformance suite: every requirement has a case, the virtual mask passes them all, and a
mask that breaks a rule fails the case of that rule."""

from __future__ import annotations

from dataclasses import replace
import io
import json
from pathlib import Path
import re
from typing import TYPE_CHECKING
from xml.etree import ElementTree as ET

import pytest

from custom_components.pressure_mask.mask_ble.codec import (
    DeviceLimits,
    Frame,
    Response,
    StartSession,
    decode_command,
    decode_frame,
)
from custom_components.pressure_mask.mask_ble.conformance import __main__ as cli
from custom_components.pressure_mask.mask_ble.conformance.cases import CASES
from custom_components.pressure_mask.mask_ble.conformance.runner import (
    SUITE_LIMITS,
    Outcome,
    Runner,
    select,
)
from custom_components.pressure_mask.mask_ble.const import Opcode, ResultCode, Zone
from custom_components.pressure_mask.mask_ble.secure import HostCredentials
from devtools.conformance_target import VirtualTarget
from devtools.virtual_mask import VirtualMask, unregister_virtual_mask

if TYPE_CHECKING:
    from collections.abc import Iterator

    from custom_components.pressure_mask.mask_ble.codec import Command
    from custom_components.pressure_mask.mask_ble.conformance.runner import Report

DOC = Path(__file__).parents[2] / "docs" / "protocol.md"
REQUIREMENT = re.compile(r"\*\*(REQ-[A-Z0-9]+-\d{2})\*\*")


def documented() -> list[str]:
    return REQUIREMENT.findall(DOC.read_text())


def test_every_requirement_in_the_spec_has_exactly_one_case() -> None:
    ids = documented()
    assert len(ids) == len(set(ids)), "a requirement id is defined twice"
    cases = [case.requirement for case in CASES]
    assert len(cases) == len(set(cases)), "two cases claim the same requirement"
    assert sorted(ids) == sorted(cases)


def test_every_must_in_the_spec_carries_an_id() -> None:
    # A sentence with MUST (or MUST NOT) belongs to a numbered requirement or a host rule.
    text = DOC.read_text()
    paragraphs = [p for p in re.split(r"\n\s*\n|\n- |\n\d+\. ", text) if "MUST" in p]
    unnumbered = [
        p.strip()[:80]
        for p in paragraphs
        if not re.search(r"REQ-[A-Z0-9]+-\d{2}|HOST-\d{2}", p) and "RFC 2119" not in p
    ]
    assert unnumbered == []


@pytest.fixture
def target() -> Iterator[VirtualTarget]:
    virtual = VirtualTarget()
    yield virtual
    unregister_virtual_mask(virtual.mask)


async def run(target: VirtualTarget, *only: str, assume_yes: bool = True) -> Report:
    runner = Runner(target, assume_yes=assume_yes, unattended=True)
    return await runner.run(select(CASES, only))


async def test_the_virtual_mask_passes_every_case(target: VirtualTarget) -> None:
    report = await run(target)
    failed = [(r.requirement, r.message) for r in report.results if r.outcome is not Outcome.PASS]
    assert failed == []
    assert report.passed


# --- Broken masks fail the case of the rule they break -----------------------------------------


class IgnoresStop(VirtualMask):
    """Acknowledges STOP and keeps the session running."""

    def write_control_point(self, data: bytes) -> None:
        if data[:1] == b"\x11" and self.session_active:
            self.sent_frames.append(data)
            self._respond_raw(data[1], 0x11)
            return
        super().write_control_point(data)

    def _respond_raw(self, seq: int, opcode: int) -> None:
        from custom_components.pressure_mask.mask_ble.codec import Response

        self._respond(Response(opcode, seq, ResultCode.SUCCESS))


class NoHeartbeatTimeout(VirtualMask):
    """Never misses its host."""

    def _check_timers(self) -> None:
        self._last_heartbeat = self.now
        super()._check_timers()


class Clamps(VirtualMask):
    """Starts a reduced session instead of refusing one above the limits."""

    def write_control_point(self, data: bytes) -> None:
        from custom_components.pressure_mask.mask_ble.codec import (
            StartSession,
            decode_command,
            decode_frame,
        )
        from custom_components.pressure_mask.mask_ble.routines import Step

        try:
            command: Command = decode_command(decode_frame(data))
        except Exception:  # noqa: BLE001 - malformed frames go to the real handler
            super().write_control_point(data)
            return
        if isinstance(command, StartSession):
            steps = tuple(
                Step(
                    s.zone,
                    min(s.pressure_mmhg, self.limits.max_mmhg(s.zone)),
                    s.inflate_s,
                    s.hold_s,
                    s.release_s,
                    s.repetitions,
                )
                for s in command.steps
            )
            clamped = StartSession(steps, command.max_duration_s, command.await_button)
            data = clamped.encode(data[1])
        super().write_control_point(data)


class CountsEveryFrame(VirtualMask):
    """Counts any frame, even a damaged one, as a heartbeat."""

    def write_control_point(self, data: bytes) -> None:
        if self.authenticated:
            self._last_heartbeat = self.now
        super().write_control_point(data)


class ArmedCooldown(VirtualMask):
    """Starts the cooldown when an armed session is cancelled."""

    def _end_session(self, reason: object) -> None:
        had_session = self._session is not None
        super()._end_session(reason)  # type: ignore[arg-type]
        if had_session:
            self._last_session_end = self.now


class StrayStopKeepsRunning(VirtualMask):
    """Refuses a STOP with a payload byte as INVALID_PARAMETER: the session runs on."""

    def write_control_point(self, data: bytes) -> None:
        if data[:1] == b"\x11" and len(data) > 5:
            self.written_frames.append(data)
            self._respond(Response(Opcode.STOP, data[1], ResultCode.INVALID_PARAMETER))
            return
        super().write_control_point(data)


class HoldStarts(VirtualMask):
    """Starts an armed session on any press shorter than a long press (a 2.5 s hold too)."""

    def press_button(self, hold_s: float = 0.2) -> None:
        session = self._session
        if session is not None and session.started_at is None and hold_s < 3.0:
            hold_s = 0.2
        super().press_button(hold_s)


class BounceStarts(VirtualMask):
    """No debounce: contact bounce counts as a short press."""

    def press_button(self, hold_s: float = 0.2) -> None:
        super().press_button(max(hold_s, 0.05))


class HoldClearsFault(VirtualMask):
    """Clears a latched fault on any press."""

    def press_button(self, hold_s: float = 0.2) -> None:
        super().press_button(0.2 if self.fault else hold_s)


class SensitiveReleaseUnderHold(VirtualMask):
    """Checks a sensitive step's release against 3 s only, not against its hold."""

    def write_control_point(self, data: bytes) -> None:
        if data[:1] == b"\x10":
            frame = decode_frame(data)
            command = decode_command(frame)
            assert isinstance(command, StartSession)
            if any(
                s.zone in (Zone.UNDER_EYE, Zone.NECK) and 3.0 <= s.release_s < s.hold_s
                for s in command.steps
            ):
                steps = tuple(replace(s, release_s=s.hold_s) for s in command.steps)
                data = replace(command, steps=steps).encode(frame.seq)
        super().write_control_point(data)


class PairsWithoutPress(VirtualMask):
    """Completes a pairing exchange without the button press."""

    def _pair_confirm(self, proof: bytes) -> tuple[ResultCode, bytes]:
        if self._pairing is not None:
            self._pairing.button_pressed = True
        return super()._pair_confirm(proof)


class KeepsUnauthenticatedLinks(VirtualMask):
    """Never drops a link that does not authenticate."""

    def _check_timers(self) -> None:
        self._linked_at = self.now
        super()._check_timers()


class AcceptsReplays(VirtualMask):
    """Checks a sealed frame's tag but not its counter: an equal or lower one is accepted."""

    def _authentic(self, frame: Frame) -> bool | None:
        if self._secure is not None:
            self._secure.opener.last_counter = 0
        return super()._authentic(frame)


class AcceptsBadTags(VirtualMask):
    """Executes a sealed frame without checking its tag."""

    def _authentic(self, frame: Frame) -> bool | None:
        if self._secure is not None and frame.sealed:
            return True
        return super()._authentic(frame)


class ExecutesPlainFrames(VirtualMask):
    """Executes plain frames on an authenticated link, as protocol version 1 did."""

    def _authentic(self, frame: Frame) -> bool | None:
        if self._secure is not None and not frame.sealed:
            return True
        return super()._authentic(frame)


class KeepsLinksWithBadFrames(VirtualMask):
    """Drops rejected frames but never the link that sends them."""

    def _reject_frame(self) -> None:
        pass


class StartsWithoutTheButton(VirtualMask):
    """Ignores its stored button setting: a START without await_button runs."""

    def _start(self, command: StartSession) -> ResultCode:
        stored = self.limits
        self.limits = replace(stored, require_button=False)
        try:
            return super()._start(command)
        finally:
            self.limits = stored


class LoosensWithoutPress(VirtualMask):
    """Answers AWAITING_BUTTON to looser limits but stores them at once."""

    def _set_limits(self, limits: DeviceLimits) -> ResultCode:
        result = super()._set_limits(limits)
        if result is ResultCode.AWAITING_BUTTON:
            self.limits, self._pending_limits = limits, None
        return result


@pytest.mark.parametrize(
    ("broken", "requirement"),
    [
        (IgnoresStop, "REQ-STATE-01"),
        (NoHeartbeatTimeout, "REQ-HB-01"),
        (Clamps, "REQ-START-09"),
        (CountsEveryFrame, "REQ-HB-02"),
        (ArmedCooldown, "REQ-COOL-02"),
        (StrayStopKeepsRunning, "REQ-STOP-01"),
        (HoldStarts, "REQ-BTN-03"),
        (BounceStarts, "REQ-BTN-01"),
        (HoldClearsFault, "REQ-BTN-06"),
        (SensitiveReleaseUnderHold, "REQ-SENS-01"),
        (PairsWithoutPress, "REQ-PAIR-05"),
        (KeepsUnauthenticatedLinks, "REQ-AUTH-06"),
        (AcceptsReplays, "REQ-SEAL-02"),
        (AcceptsBadTags, "REQ-SEAL-03"),
        (ExecutesPlainFrames, "REQ-SEAL-04"),
        (KeepsLinksWithBadFrames, "REQ-SEAL-05"),
        (StartsWithoutTheButton, "REQ-GUARD-01"),
        (LoosensWithoutPress, "REQ-GUARD-02"),
    ],
)
async def test_a_broken_mask_fails_the_matching_case(
    broken: type[VirtualMask], requirement: str
) -> None:
    mask = broken("AA:BB:CC:DD:EE:02")
    target = VirtualTarget(mask)
    try:
        report = await run(target, requirement)
    finally:
        unregister_virtual_mask(mask)
    (result,) = report.results
    assert result.outcome is Outcome.FAIL, result
    assert result.evidence  # the hex that shows it


# --- Prompts, skips and reports ----------------------------------------------------------------


async def test_nothing_inflates_unless_confirmed(
    target: VirtualTarget, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("n\n"))
    runner = Runner(target, assume_yes=False, unattended=False)
    report = await runner.run(select(CASES, ["REQ-STATE-04", "REQ-FRAME-06"]))
    passed, skipped = report.results  # in the order of the document
    assert skipped.outcome is Outcome.SKIP
    assert "--yes" in skipped.message
    assert passed.outcome is Outcome.PASS
    assert target.mask.pressure_mmhg == 0.0
    assert not any(getattr(c, "steps", None) for c in target.mask.received)


async def test_unattended_skips_cases_that_need_the_maker(target: VirtualTarget) -> None:
    target.performs_actions = False
    report = await run(target, "REQ-FAULT-05")
    (result,) = report.results
    assert result.outcome is Outcome.SKIP
    assert "disconnect the pressure sensor" in result.message
    assert "--unattended" in result.message


async def test_unattended_the_security_cases_that_need_no_press_run_and_the_rest_skip(
    target: VirtualTarget, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under --unattended a bench without a person runs every security case that needs no
    press, and skips the pairing and button-rule cases with the action they need."""
    target.performs_actions = False
    target.mask.limits = SUITE_LIMITS  # stored by an earlier, attended run (it took a press)

    async def nobody_at_the_bench(action: object) -> None:
        raise AssertionError(f"a case asked for {action} without declaring it")

    monkeypatch.setattr(target, "act", nobody_at_the_bench)
    pressing = ("REQ-PAIR", "REQ-SLOT-02", "REQ-SLOT-03", "REQ-GUARD")
    skipped = (await run(target, *pressing)).results
    assert len(skipped) == 12
    assert all(r.outcome is Outcome.SKIP and "--unattended" in r.message for r in skipped)
    report = await run(target, "REQ-SLOT-01", "REQ-SLOT-04", "REQ-AUTH", "REQ-SEAL")
    assert [
        (r.requirement, r.outcome) for r in report.results if r.outcome is not Outcome.PASS
    ] == []
    assert len(report.results) == 15


async def test_a_case_without_a_second_central_is_skipped(target: VirtualTarget) -> None:
    target.second_central = False
    (result,) = (await run(target, "REQ-CONN-01")).results
    assert result.outcome is Outcome.SKIP
    assert "second central" in result.message


def test_the_command_line_prints_the_table_and_writes_json_and_junit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    json_path, junit_path = tmp_path / "c.json", tmp_path / "c.xml"
    code = cli.main(
        [
            "--yes",
            "--unattended",
            "--only",
            "REQ-FRAME",
            "--only",
            "REQ-START-0",
            "--json",
            str(json_path),
            "--junit",
            str(junit_path),
        ]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert "REQ-FRAME-03" in out
    assert "PASS" in out
    assert re.search(r"REQ-FRAME-01 +PASS +→ 23 [0-9a-f]{2} 00 05", out)
    data = json.loads(json_path.read_text())
    assert data["passed"] is True
    assert {r["requirement"] for r in data["results"]} >= {"REQ-FRAME-01", "REQ-START-07"}
    assert all(r["transcript"] for r in data["results"])
    suite = ET.parse(junit_path).getroot()  # noqa: S314 - our own file
    assert suite.get("failures") == "0"
    assert len(suite.findall("testcase")) == len(data["results"])


def test_the_command_line_lists_the_cases(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--list", "--only", "REQ-ADV"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("REQ-ADV-01")
    assert all(line.startswith("REQ-ADV") for line in lines)


async def test_a_failing_case_makes_the_command_line_fail(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mask = IgnoresStop("AA:BB:CC:DD:EE:03")
    monkeypatch.setattr(cli, "virtual_target", lambda: VirtualTarget(mask))
    args = cli.parse_args(
        [
            "--yes",
            "--only",
            "REQ-STATE-01",
            "--json",
            str(tmp_path / "j"),
            "--junit",
            str(tmp_path / "x"),
        ]
    )
    try:
        assert await cli.run(args) == 1
    finally:
        unregister_virtual_mask(mask)
    suite = ET.parse(tmp_path / "x").getroot()  # noqa: S314 - our own file
    assert suite.get("failures") == "1"
    assert suite.find("testcase/failure") is not None


def test_without_the_virtual_mask_an_address_is_needed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "VIRTUAL_TARGET_MODULE", "devtools.not_installed")
    with pytest.raises(SystemExit, match="--address"):
        cli.virtual_target()


async def test_the_suite_pairs_when_it_has_no_credentials(target: VirtualTarget) -> None:
    """Pairing mode, PAIR, the press, PAIR_CONFIRM: the new slot's key authenticates."""
    target.credentials = await cli.pair(target)
    assert target.credentials.mask_identity == target.mask.identity_public
    assert target.credentials.slot == 1  # slot 0 is the suite's own, provisioned
    report = await run(target, "REQ-STATE-07")
    assert report.passed


def test_credentials_are_kept_for_the_next_run(tmp_path: Path) -> None:
    credentials = HostCredentials(2, bytes(range(32)), bytes(range(32, 64)))
    path = tmp_path / "pairing.json"
    cli.write_credentials(path, credentials)
    assert path.stat().st_mode & 0o077 == 0  # readable by its owner only
    assert cli.read_credentials(path) == credentials


def test_the_installed_package_has_no_virtual_mask() -> None:
    package = Path(__file__).parents[2] / "custom_components" / "pressure_mask"
    for path in package.rglob("*.py"):
        text = path.read_text()
        assert "VirtualMask" not in text, path
        assert not re.search(r"^\s*(from|import) devtools", text, re.MULTILINE), path
