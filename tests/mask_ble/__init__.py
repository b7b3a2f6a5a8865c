"""Tests of the HA-free mask device library."""
