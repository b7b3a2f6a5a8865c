"""The Lymphatic Pressure Mask integration."""
