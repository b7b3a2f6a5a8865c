"""The demo: a virtual mask in a real Home Assistant, the screenshots and the browser walkthrough."""
