"""Tests for the pressure_mask integration and its device library."""
