"""Development tools: a virtual Bluetooth proxy that puts virtual masks on Home Assistant's radio."""
