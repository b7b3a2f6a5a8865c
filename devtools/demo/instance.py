"""A throwaway Home Assistant with the virtual mask demo, for screenshots and browser tests.

It runs the same configuration as scripts/develop (config/configuration.yaml), in a fresh
temporary configuration folder on a free local port, so it never disturbs a developer's own
instance on 8123. The demo integration onboards it with the login demo / demo.

    with DemoInstance() as ha:
        print(ha.url)          # http://127.0.0.1:<port>
"""

from __future__ import annotations

import json
import os
from pathlib import Path
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from typing import TYPE_CHECKING, Final, Self
import urllib.error
import urllib.request

if TYPE_CHECKING:
    from types import TracebackType

ROOT: Final = Path(__file__).resolve().parents[2]
DEMO_PATH: Final = ROOT / "devtools" / "demo"
USERNAME: Final = "demo"
PASSWORD: Final = "demo"  # noqa: S105  (the documented, local-only demo login)
# Packages Home Assistant's default integrations ask for that the environment leaves out.
SKIPPED_PACKAGES: Final = "pymicro-vad,pyspeex-noise"


class DemoStartError(RuntimeError):
    """Home Assistant did not come up; the message ends with its log."""


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class DemoInstance:
    """Home Assistant with the virtual mask in a temporary configuration folder."""

    def __init__(self, *, port: int | None = None, startup_timeout_s: float = 240.0) -> None:
        """Prepare (not start) an instance; `with` starts and stops it."""
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.startup_timeout_s = startup_timeout_s
        self.config_dir = Path(tempfile.mkdtemp(prefix="pressure_mask_demo_"))
        self.log_path = self.config_dir / "demo.log"
        self.startup_s = 0.0
        self._process: subprocess.Popen[bytes] | None = None

    def _write_config(self) -> None:
        text = (ROOT / "config" / "configuration.yaml").read_text(encoding="utf-8")
        (self.config_dir / "configuration.yaml").write_text(text, encoding="utf-8")
        (self.config_dir / "automations.yaml").write_text("[]\n", encoding="utf-8")
        # config/dashboards/pressure_mask.yaml is a link to the repository's dashboard; so is this.
        (self.config_dir / "dashboards").symlink_to(ROOT / "dashboards")
        # Home Assistant 2026 keeps the HTTP settings in storage (YAML is migrated once and then
        # asks for a confirmation in the frontend), so the port is seeded there.
        storage = self.config_dir / ".storage"
        storage.mkdir()
        http = {
            "version": 2,
            "minor_version": 2,
            "key": "http",
            "data": {
                "stable": {
                    "server_port": self.port,
                    "server_host": ["127.0.0.1"],
                    "cors_allowed_origins": ["https://cast.home-assistant.io"],
                    "login_attempts_threshold": -1,
                    "ip_ban_enabled": False,
                    "ssl_profile": "modern",
                    "use_x_frame_options": True,
                    "error": None,
                    "error_message": None,
                },
                "pending": None,
                "yaml_migration_done": True,
            },
        }
        (storage / "http").write_text(json.dumps(http, indent=2), encoding="utf-8")

    def start(self) -> None:
        """Start Home Assistant and wait until the demo user exists."""
        self._write_config()
        env = dict(os.environ, PYTHONPATH=f"{ROOT}{os.pathsep}{DEMO_PATH}")
        started = time.monotonic()
        with self.log_path.open("wb") as log:
            self._process = subprocess.Popen(  # noqa: S603  (our own interpreter and arguments)
                [
                    sys.executable,
                    "-m",
                    "homeassistant",
                    "--config",
                    str(self.config_dir),
                    "--skip-pip-packages",
                    SKIPPED_PACKAGES,
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        while not self._onboarded():
            if self._process.poll() is not None:
                self._fail(f"Home Assistant exited with {self._process.returncode}")
            if time.monotonic() - started > self.startup_timeout_s:
                self._fail(f"Home Assistant was not ready within {self.startup_timeout_s:.0f} s")
            time.sleep(0.5)
        self.startup_s = time.monotonic() - started

    def _onboarded(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/api/onboarding", timeout=2) as response:  # noqa: S310
                steps = json.load(response)
        except OSError, urllib.error.URLError, ValueError:
            return False
        return all(step["done"] for step in steps)

    def _fail(self, reason: str) -> None:
        self.stop()
        log = self.log_path.read_text(encoding="utf-8", errors="replace")
        raise DemoStartError(f"{reason}; last lines of its log:\n{log[-6000:]}")

    def stop(self) -> None:
        """Stop Home Assistant (it vents and disconnects the virtual mask on the way out)."""
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def log_tail(self, characters: int = 6000) -> str:
        """The end of Home Assistant's output, for failure messages."""
        return self.log_path.read_text(encoding="utf-8", errors="replace")[-characters:]

    def cleanup(self) -> None:
        """Remove the temporary configuration folder."""
        shutil.rmtree(self.config_dir, ignore_errors=True)

    def __enter__(self) -> Self:
        """Start the instance."""
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Stop the instance and remove its folder."""
        self.stop()
        self.cleanup()
