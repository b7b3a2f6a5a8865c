"""Errors raised by the mask client."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .const import Opcode, ResultCode


class MaskError(Exception):
    """Base of every error the mask client raises."""


class MaskConnectionError(MaskError):
    """The mask could not be reached, or the link dropped."""


class MaskTimeoutError(MaskError, TimeoutError):
    """The mask did not answer a request in time."""


class CommandRejected(MaskError):  # noqa: N818 - the name other modules code against
    """The mask answered a request with a result other than SUCCESS."""

    def __init__(self, opcode: Opcode, result: ResultCode) -> None:
        """Keep the opcode and result so callers can react to the reason."""
        super().__init__(f"{opcode.name} rejected: {result.name}")
        self.opcode = opcode
        self.result = result


class AuthenticationError(MaskError):
    """Authentication failed: no key, or a mask that could not prove its identity and key."""


class KeyRejectedError(AuthenticationError):
    """The mask does not (or no longer) know this host's key: pair again."""


class ButtonNotPressedError(MaskError):
    """A pairing exchange waits for the button press at the mask."""
