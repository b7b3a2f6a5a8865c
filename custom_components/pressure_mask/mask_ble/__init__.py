"""Device library for the pressure mask: protocol codec, client, routines, virtual mask.

Nothing in this package imports Home Assistant; the integration around it decides policy.
"""
