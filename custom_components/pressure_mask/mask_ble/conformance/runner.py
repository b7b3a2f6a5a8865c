"""Run conformance cases against a target and report: a table, JSON and JUnit XML."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum
import json
from typing import TYPE_CHECKING, Final
from xml.etree import ElementTree as ET

from custom_components.pressure_mask.mask_ble.codec import (
    FACTORY_LIMITS,
    ClearFault,
    Command,
    DeviceLimits,
    ProtocolError,
    ReadLimits,
    Response,
    SetLimits,
    Status,
    Stop,
)
from custom_components.pressure_mask.mask_ble.const import PAIRING_WINDOW_S, Phase, ResultCode

from .link import Link
from .target import Action, ask

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Iterable, Sequence
    from pathlib import Path

    from .link import Line
    from .target import Target

VENT_WAIT_S: Final = 6.0
# The limits every case starts from: the factory limits without the mask's own button rule, so
# cases can start sessions at once (the button rule has its own case). Storing them on a mask
# fresh from the factory loosens it, so it takes one press at the mask (section 7.5).
SUITE_LIMITS: Final = replace(FACTORY_LIMITS, require_button=False)
EVIDENCE_COLUMN: Final = 72

OFF_THE_FACE: Final = (
    "The next cases INFLATE the mask. Take it OFF the face and lay it on the bench; nobody may "
    "wear it while the suite runs. Continue? [y/N]"
)


class CaseFailed(AssertionError):  # noqa: N818 - reads as "the case failed"
    """A requirement does not hold; the message says what was seen."""


class CaseSkipped(Exception):  # noqa: N818
    """A case that cannot run here; the message says why."""


class Outcome(StrEnum):
    """Result of one case."""

    PASS = "pass"  # noqa: S105 - not a password
    FAIL = "fail"
    SKIP = "skip"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class Case:
    """One requirement of docs/protocol.md and the procedure that checks it."""

    requirement: str
    title: str
    procedure: Callable[[Context], Awaitable[None]]
    inflates: bool = False
    actions: tuple[Action, ...] = ()
    authenticated: bool = True
    needs_second_central: bool = False


@dataclass(slots=True)
class Result:
    """What a case found."""

    requirement: str
    title: str
    outcome: Outcome
    message: str = ""
    evidence: list[str] = field(default_factory=list)
    transcript: list[str] = field(default_factory=list)
    duration_s: float = 0.0


class Context:
    """What a case procedure works with: the link, the target, and its evidence."""

    def __init__(self, target: Target, runner: Runner) -> None:
        """A fresh context per case."""
        self.target = target
        self.runner = runner
        self.transcript: list[Line] = []
        self.evidence: list[str] = []
        self.link = Link(target, self.transcript)
        self.done_actions: list[Action] = []

    # --- Checks -------------------------------------------------------------------------------

    def check(self, condition: bool, message: str) -> None:  # noqa: FBT001
        """Fail the case with message unless condition holds."""
        if not condition:
            raise CaseFailed(message)

    def cite(self, *lines: str) -> None:
        """Add evidence to the report."""
        self.evidence.extend(lines)

    def cite_status(self, status: Status) -> None:
        """Cite a status as evidence (its wire form)."""
        self.cite(f"status {status.encode().hex(' ')}")

    async def send(
        self, request: Command | bytes, expected: ResultCode | None, *, sealed: bool = True
    ) -> Response | None:
        """Send a request and require the expected result (None: no response at all).

        Once authenticated the link seals it, unless sealed is False (the bytes go as given)."""
        start = len(self.transcript)
        response = await self.link.request(
            request, timeout_s=1.0 if expected is None else 5.0, sealed=sealed
        )
        self.cite(*(str(line) for line in self.transcript[start:] if line.kind in "→←"))
        if expected is None:
            self.check(response is None, f"expected no response, got {_result(response)}")
            return None
        self.check(
            response is not None and response.result is expected,
            f"expected {expected.name}, got {_result(response)}",
        )
        return response

    async def store_limits(self, limits: DeviceLimits) -> None:
        """SET_LIMITS until stored: limits that loosen wait for a press at the mask."""
        start = len(self.transcript)
        response = await self.link.request(SetLimits(limits))
        if response is not None and response.result is ResultCode.AWAITING_BUTTON:
            if not self.target.performs_actions and self.runner.unattended:
                raise CaseSkipped("looser limits need a button press (skipped under --unattended)")
            await self.act(Action.SHORT_PRESS)
            response = await self.link.request(ReadLimits())
            try:
                stored = response is not None and DeviceLimits.decode(response.payload) == limits
            except ProtocolError:
                stored = False
            self.check(stored, "looser limits not stored after the button press")
        else:
            self.check(
                response is not None and response.result is ResultCode.SUCCESS,
                f"SET_LIMITS: expected SUCCESS, got {_result(response)}",
            )
        self.cite(*(str(line) for line in self.transcript[start:] if line.kind in "→←"))

    async def status(self) -> Status:
        """The current status, read with READ_STATUS."""
        status = await self.link.read_status()
        self.check(status is not None, "READ_STATUS gave no status")
        assert status is not None  # noqa: S101 - narrowed by check
        return status

    async def wait_for(
        self,
        predicate: Callable[[Status], bool],
        timeout_s: float,
        what: str,
        *,
        heartbeat: bool = True,
    ) -> Status:
        """Wait for a notified status; fail with `what` if none comes in time."""
        status = await self.link.until(predicate, timeout_s, heartbeat=heartbeat)
        self.check(status is not None, f"no status with {what} within {timeout_s:g} s")
        assert status is not None  # noqa: S101 - narrowed by check
        self.cite_status(status)
        return status

    async def run(self, seconds: float, *, heartbeat: bool = True) -> None:
        """Let time pass on the target (heartbeating by default)."""
        await self.link.run(seconds, heartbeat=heartbeat)

    def now(self) -> float:
        """The target's clock."""
        return self.target.now()

    # --- Link and actions ---------------------------------------------------------------------

    async def connect(self, *, authenticate: bool = True) -> None:
        """Open a new link (closing the current one), authenticated unless asked otherwise."""
        await self.link.close()
        self.link = Link(self.target, self.transcript)
        await self.link.open()
        if authenticate:
            credentials = self.target.credentials
            self.check(credentials is not None, "no credentials to authenticate with")
            assert credentials is not None  # noqa: S101 - narrowed by check
            self.check(await self.link.authenticate(credentials), "authentication failed")

    async def act(self, action: Action) -> None:
        """Have the action performed, heartbeating while the maker works."""
        self.done_actions.append(action)
        self.link.note(f"action: {action}".encode())
        waiting = self.target.act(action)
        if self.target.performs_actions:
            await waiting
            return
        import asyncio  # noqa: PLC0415 - only real targets wait on a person

        task = asyncio.ensure_future(waiting)
        while not task.done():
            await self.link.run(0.2)
        await task

    async def prepare(self) -> None:
        """Bring the mask to a known state: no session, no fault, pairing mode closed, the
        suite's limits."""
        await self.target.reset()
        await self.connect()
        await self.link.request(Stop())
        await self.link.until(lambda s: s.phase is not Phase.VENTING, VENT_WAIT_S)
        await self.link.request(ClearFault())
        # A pairing case that failed may leave pairing mode open: it closes by itself.
        await self.link.until(lambda s: not s.pairing_mode, PAIRING_WINDOW_S + 1.0)
        await self.store_limits(SUITE_LIMITS)
        self.evidence.clear()  # the evidence is the case's own


def _result(response: Response | None) -> str:
    if response is None:
        return "no response"
    try:
        return ResultCode(response.result).name
    except ValueError:  # pragma: no cover - Response.decode only builds known codes
        return f"result 0x{response.result:02x}"


class Runner:
    """Runs cases in order, asking before inflation and for maker actions."""

    def __init__(self, target: Target, *, assume_yes: bool, unattended: bool) -> None:
        """Configure prompting."""
        self.target = target
        self.assume_yes = assume_yes
        self.unattended = unattended
        self._inflation_ok: bool | None = True if assume_yes else None

    async def _may_inflate(self) -> bool:
        if self._inflation_ok is None:
            if self.unattended:
                self._inflation_ok = False
            else:
                answer = await ask(OFF_THE_FACE)
                self._inflation_ok = answer.lower() in ("y", "yes")
        return self._inflation_ok

    def _skip_reason(self, case: Case) -> str | None:
        if case.needs_second_central and not self.target.second_central:
            return "needs a second central to connect while the suite holds the link"
        if case.actions and not self.target.performs_actions and self.unattended:
            return f"needs the maker to {case.actions[0]} (skipped under --unattended)"
        return None

    async def run_case(self, case: Case) -> Result:
        """Run one case; every failure is reported, never raised."""
        result = Result(case.requirement, case.title, Outcome.PASS)
        if (reason := self._skip_reason(case)) is not None:
            result.outcome, result.message = Outcome.SKIP, reason
            return result
        if case.inflates and not await self._may_inflate():
            result.outcome = Outcome.SKIP
            result.message = "inflates: not confirmed (run with --yes, the mask off the face)"
            return result
        ctx = Context(self.target, self)
        started = self.target.now()
        try:
            await ctx.prepare()
            if not case.authenticated:
                await ctx.connect(authenticate=False)
            await case.procedure(ctx)
        except CaseFailed as err:
            result.outcome, result.message = Outcome.FAIL, str(err)
        except CaseSkipped as err:
            result.outcome, result.message = Outcome.SKIP, str(err)
        except Exception as err:  # noqa: BLE001 - a broken mask must not stop the suite
            result.outcome, result.message = Outcome.ERROR, f"{type(err).__name__}: {err}"
        finally:
            await self._cleanup(ctx)
        result.evidence = ctx.evidence
        result.transcript = [f"{line.time_s - started:9.3f} {line}" for line in ctx.transcript]
        result.duration_s = self.target.now() - started
        return result

    async def _cleanup(self, ctx: Context) -> None:
        try:
            if ctx.link.connected:
                await ctx.link.request(Stop())
            for action in ctx.done_actions:
                await self.target.undo(action)
            await ctx.link.close()
        except Exception:  # noqa: BLE001, S110 - cleanup of a broken mask is best effort
            pass

    async def run(self, cases: Iterable[Case]) -> Report:
        """Run every case."""
        results = [await self.run_case(case) for case in cases]
        return Report(self.target.description, results)


@dataclass(slots=True)
class Report:
    """Every result of one run."""

    target: str
    results: list[Result]

    @property
    def passed(self) -> bool:
        """No case failed or broke (skips are reported, not failures)."""
        return all(r.outcome in (Outcome.PASS, Outcome.SKIP) for r in self.results)

    def counts(self) -> dict[str, int]:
        """How many cases ended in each outcome."""
        return {o.value: sum(r.outcome is o for r in self.results) for o in Outcome}

    def table(self) -> str:
        """A plain-text table: requirement, result, evidence in hex."""
        rows = [("requirement", "result", "evidence")]
        for r in self.results:
            evidence = r.message if r.outcome is not Outcome.PASS else ""
            hexes = " | ".join(r.evidence[-3:])
            text = f"{evidence}: {hexes}" if evidence and hexes else evidence or hexes
            if len(text) > EVIDENCE_COLUMN:
                text = text[: EVIDENCE_COLUMN - 3] + "..."
            rows.append((r.requirement, r.outcome.value.upper(), text))
        width = max(len(row[0]) for row in rows)
        lines = [f"{a:<{width}}  {b:<6} {c}" for a, b, c in rows]
        counts = ", ".join(f"{n} {k}" for k, n in self.counts().items())
        return "\n".join([f"Conformance of the {self.target}", *lines, counts])

    def to_json(self) -> str:
        """Every result with its full evidence and transcript."""
        return json.dumps(
            {
                "target": self.target,
                "passed": self.passed,
                "counts": self.counts(),
                "results": [
                    {
                        "requirement": r.requirement,
                        "title": r.title,
                        "outcome": r.outcome.value,
                        "message": r.message,
                        "evidence": r.evidence,
                        "transcript": r.transcript,
                        "duration_s": round(r.duration_s, 3),
                    }
                    for r in self.results
                ],
            },
            indent=2,
        )

    def to_junit(self) -> str:
        """JUnit XML: one testcase per requirement."""
        counts = self.counts()
        suite = ET.Element(
            "testsuite",
            name="pressure-mask-conformance",
            tests=str(len(self.results)),
            failures=str(counts["fail"]),
            errors=str(counts["error"]),
            skipped=str(counts["skip"]),
        )
        for r in self.results:
            element = ET.SubElement(
                suite,
                "testcase",
                classname=r.requirement.rsplit("-", 1)[0],
                name=f"{r.requirement} {r.title}",
                time=f"{r.duration_s:.3f}",
            )
            if r.outcome is Outcome.FAIL:
                ET.SubElement(element, "failure", message=r.message)
            elif r.outcome is Outcome.ERROR:
                ET.SubElement(element, "error", message=r.message)
            elif r.outcome is Outcome.SKIP:
                ET.SubElement(element, "skipped", message=r.message)
            ET.SubElement(element, "system-out").text = "\n".join(r.evidence)
        return ET.tostring(suite, encoding="unicode", xml_declaration=True)

    def write(self, json_path: Path | None, junit_path: Path | None) -> None:
        """Write the JSON and JUnit files that were asked for."""
        if json_path is not None:
            json_path.write_text(self.to_json() + "\n")
        if junit_path is not None:
            junit_path.write_text(self.to_junit() + "\n")


def select(cases: Sequence[Case], only: Sequence[str]) -> list[Case]:
    """The cases whose requirement id starts with one of the given prefixes (all if none)."""
    if not only:
        return list(cases)
    return [c for c in cases if any(c.requirement.startswith(p) for p in only)]
