"""Command line of the conformance suite (see docs/firmware.md)."""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
from pathlib import Path
import sys
from typing import TYPE_CHECKING

from custom_components.pressure_mask.mask_ble.secure import HostCredentials

from .cases import CASES
from .link import Link
from .runner import Runner, select
from .target import Action, BleakTarget

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .target import Target

VIRTUAL_TARGET_MODULE = "devtools.conformance_target"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The options of docs/firmware.md."""
    parser = argparse.ArgumentParser(
        prog="python -m custom_components.pressure_mask.mask_ble.conformance",
        description="Check a pressure mask against every requirement of docs/protocol.md.",
    )
    parser.add_argument("--address", help="Bluetooth address of a real mask (default: virtual)")
    parser.add_argument(
        "--credentials",
        type=Path,
        help="file with the suite's pairing (slot, key, pinned identity): read if it exists, "
        "else written after pairing at the start (keep it private: it controls the mask)",
    )
    parser.add_argument("--yes", action="store_true", help="do not ask before cases that inflate")
    parser.add_argument(
        "--unattended",
        action="store_true",
        help="never prompt: skip cases that need the maker to act, and saying why",
    )
    parser.add_argument("--only", action="append", default=[], help="requirement id prefix")
    parser.add_argument("--json", type=Path, default=Path("conformance.json"))
    parser.add_argument("--junit", type=Path, default=Path("conformance.xml"))
    parser.add_argument("--list", action="store_true", help="list the cases and exit")
    return parser.parse_args(argv)


def virtual_target() -> Target:
    """The virtual mask, from devtools (not part of the installed package)."""
    try:
        module = importlib.import_module(VIRTUAL_TARGET_MODULE)
    except ImportError as err:
        raise SystemExit(
            "No --address given, and the virtual mask is not available: it is a development "
            "tool in devtools/ of the repository. Run from a checkout, or test a real mask "
            "with --address."
        ) from err
    target: Target = module.default_target()
    return target


async def pair(target: Target) -> HostCredentials:
    """Pair with the mask (section 7.1): the maker opens pairing mode, then confirms."""
    link = Link(target, [])
    await link.open()
    try:
        await target.act(Action.PAIRING_HOLD)
        exchange = await link.begin_pairing()
        if exchange is None:
            raise SystemExit("pairing failed: the mask did not open a pairing exchange")
        print(f"The mask's identity fingerprint is {exchange.fingerprint}.")  # noqa: T201
        await target.act(Action.SHORT_PRESS)
        credentials = await link.confirm_pairing(exchange)
        if credentials is None:
            raise SystemExit("pairing failed: the mask did not confirm the exchange")
        return credentials
    finally:
        await link.close()


def read_credentials(path: Path) -> HostCredentials:
    """The pairing stored by an earlier run."""
    stored = json.loads(path.read_text())
    return HostCredentials(
        stored["slot"], bytes.fromhex(stored["host_key"]), bytes.fromhex(stored["mask_identity"])
    )


def write_credentials(path: Path, credentials: HostCredentials) -> None:
    """Keep the pairing for the next run, readable by its owner only."""
    path.touch(mode=0o600)
    path.write_text(
        json.dumps(
            {
                "slot": credentials.slot,
                "host_key": credentials.host_key.hex(),
                "mask_identity": credentials.mask_identity.hex(),
            }
        )
    )


async def run(args: argparse.Namespace, credentials: HostCredentials | None = None) -> int:
    """Run the selected cases and write the reports; 0 if nothing failed."""
    stored: Path | None = args.credentials
    target: Target = (
        virtual_target()
        if args.address is None
        else BleakTarget(args.address, credentials=credentials)
    )
    if target.credentials is None:
        if args.unattended:
            raise SystemExit("--unattended needs --credentials: pairing needs button presses")
        target.credentials = await pair(target)
        if stored is not None:
            await asyncio.to_thread(write_credentials, stored, target.credentials)
    runner = Runner(target, assume_yes=args.yes, unattended=args.unattended)
    report = await runner.run(select(CASES, args.only))
    print(report.table())  # noqa: T201 - the report is the output
    report.write(args.json, args.junit)
    print(f"wrote {args.json} and {args.junit}")  # noqa: T201
    return 0 if report.passed else 1


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point."""
    args = parse_args(argv)
    if args.list:
        for case in select(CASES, args.only):
            print(f"{case.requirement}  {case.title}")  # noqa: T201
        return 0
    stored: Path | None = args.credentials
    credentials = read_credentials(stored) if stored is not None and stored.exists() else None
    return asyncio.run(run(args, credentials))


if __name__ == "__main__":
    sys.exit(main())
