"""Conformance suite: every requirement of docs/protocol.md as a case against a mask.

Device makers run it with only this library and bleak installed::

    python -m custom_components.pressure_mask.mask_ble.conformance --address AA:BB:CC:DD:EE:FF

Without --address it runs against the virtual mask (devtools/, in a checkout of the repository).
"""
