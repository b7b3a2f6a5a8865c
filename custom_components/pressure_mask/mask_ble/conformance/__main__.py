"""Command line of the conformance suite (see docs/firmware.md)."""

from __future__ import annotations

import argparse
import asyncio
import importlib
from pathlib import Path
import sys
from typing import TYPE_CHECKING

from custom_components.pressure_mask.mask_ble.codec import Pair, parse_key
from custom_components.pressure_mask.mask_ble.const import ResultCode

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
    parser.add_argument("--key", help="the mask's key in hex (default: pair at the start)")
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


async def pair(target: Target) -> None:
    """Get the key in pairing mode (the maker holds the button)."""
    link = Link(target, [])
    await link.open()
    try:
        await target.act(Action.PAIRING_HOLD)
        response = await link.request(Pair())
        if response is None or response.result is not ResultCode.SUCCESS:
            raise SystemExit(f"pairing failed: {response}")
        target.key = parse_key(response.payload)
    finally:
        await link.close()


async def run(args: argparse.Namespace) -> int:
    """Run the selected cases and write the reports; 0 if nothing failed."""
    target: Target = (
        virtual_target()
        if args.address is None
        else BleakTarget(args.address, key=None if args.key is None else bytes.fromhex(args.key))
    )
    if target.key is None:
        if args.unattended:
            raise SystemExit("--unattended needs --key: pairing needs a button press")
        await pair(target)
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
    return asyncio.run(run(args))


if __name__ == "__main__":
    sys.exit(main())
