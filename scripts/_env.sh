# shellcheck shell=bash
# Shared by every script: find (or build) a Python 3.14 environment and run commands in it.
#
# Two ways to get an interpreter:
#   host   python3.14 (>= 3.14.2) on PATH: a venv in .cache/venv.
#   rootfs no python3.14 on PATH, running as root on a Debian-like host: a minimal Debian sid
#          root file system made with debootstrap in .cache/rootfs (Python 3.14 from Debian),
#          with the venv inside it. Commands run in it through `unshare --mount` + `chroot`,
#          with the repository bind-mounted at the same absolute path. The mounts live in a
#          private mount namespace, so they vanish when the command ends or is interrupted.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="$ROOT/.cache"
ROOTFS="$CACHE/rootfs"
ROOTFS_RECIPE="debootstrap --variant=minbase --include=python3.14,python3.14-venv,ca-certificates,tzdata sid; v1"
REQUIREMENTS=("$ROOT/requirements_test.txt" "$ROOT/requirements_dev.txt")

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf '\033[31merror:\033[0m %s\n' "$*" >&2; exit 1; }

host_python_ok() {
  command -v python3.14 >/dev/null 2>&1 &&
    python3.14 -c 'import sys; raise SystemExit(sys.version_info < (3, 14, 2))' 2>/dev/null
}

# PM_MODE: "host", "rootfs", or "inside" (a script called from a command that already runs in
# the environment, e.g. a test that runs scripts/run: use that environment as it is).
if [[ -n "${PM_INSIDE:-}" ]]; then
  PM_MODE=inside
elif [[ -z "${PM_MODE:-}" ]]; then
  if host_python_ok; then PM_MODE=host; else PM_MODE=rootfs; fi
fi

if [[ "$PM_MODE" == host ]]; then
  VENV="$CACHE/venv"
  VENV_IN_ENV="$VENV"
else
  VENV="$ROOTFS/opt/venv"
  VENV_IN_ENV="/opt/venv"
fi

requirements_hash() {
  cat "${REQUIREMENTS[@]}" "$ROOT/scripts/_env.sh" | sha256sum | cut -c1-16
}

ensure_rootfs() {
  local stamp="$ROOTFS/.pressure_mask_recipe"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$ROOTFS_RECIPE" ]]; then
    return
  fi
  [[ "$(id -u)" == 0 ]] || die "python3.14 (>= 3.14.2) is not on PATH. Install it (e.g. from python.org, pyenv or your distribution), or run as root on a Debian-like host so scripts/setup can build a private Python 3.14 with debootstrap."
  command -v unshare >/dev/null || die "unshare (util-linux) is needed for the debootstrap fallback."
  if ! command -v debootstrap >/dev/null; then
    command -v apt-get >/dev/null || die "No python3.14 on PATH and no apt-get to install debootstrap. Install Python >= 3.14.2."
    say "Installing debootstrap (apt-get)"
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >&2
  fi
  say "Building a minimal Debian sid root file system with Python 3.14 in .cache/rootfs (about 30-60 s, once)"
  # Built beside the old one and moved into place, so a command still running in the old one
  # never sees a half-built tree.
  local building="$ROOTFS.building"
  rm -rf "$building"
  mkdir -p "$CACHE"
  local mirror="http://deb.debian.org/debian"
  if ! debootstrap --variant=minbase --include=python3.14,python3.14-venv,ca-certificates,tzdata \
      sid "$building" "$mirror" > "$CACHE/debootstrap.log" 2>&1; then
    tail -20 "$CACHE/debootstrap.log" >&2
    die "debootstrap failed (full log: .cache/debootstrap.log)."
  fi
  echo "$ROOTFS_RECIPE" > "$building/.pressure_mask_recipe"
  rm -rf "$ROOTFS"
  mv "$building" "$ROOTFS"
}

# Copy what pip inside the root file system needs to reach the package index. Only when it
# changed, and by an atomic rename: other commands may be reading these files right now.
sync_into_rootfs() {
  local src="$1" dest="$ROOTFS/$2"
  [[ -f "$src" ]] || return 0
  cmp -s "$src" "$dest" 2>/dev/null && return 0
  cp -L "$src" "$dest.tmp.$$" && mv -f "$dest.tmp.$$" "$dest"
}
sync_rootfs_network_config() {
  sync_into_rootfs /etc/resolv.conf etc/resolv.conf || true
  sync_into_rootfs /etc/ssl/certs/ca-certificates.crt etc/ssl/certs/host-ca-certificates.crt
}

# Run a command inside the environment (venv on PATH), from the current directory.
pm_exec() {
  if [[ "$PM_MODE" == inside ]]; then
    "$@"
    return
  fi
  if [[ "$PM_MODE" == host ]]; then
    PATH="$VENV/bin:$PATH" VIRTUAL_ENV="$VENV" PM_INSIDE=1 "$@"
    return
  fi
  sync_rootfs_network_config
  local cwd; cwd="$(pwd)"
  local ca=/etc/ssl/certs/ca-certificates.crt
  [[ -f "$ROOTFS/etc/ssl/certs/host-ca-certificates.crt" ]] && ca=/etc/ssl/certs/host-ca-certificates.crt
  # Inside: a private mount namespace; /proc, /dev, /sys, /tmp and the repository are mounted,
  # the repository at its own absolute path so paths and coverage match the host.
  unshare --mount --propagation private -- /bin/bash -c '
    set -e
    r="$1"; repo="$2"; cwd="$3"; venv="$4"; ca="$5"; shift 5
    mount -t proc proc "$r/proc"
    mount --rbind /dev "$r/dev"
    mount --rbind /sys "$r/sys"
    mount --bind /tmp "$r/tmp"
    mkdir -p "$r$repo"
    mount --bind "$repo" "$r$repo"
    exec chroot "$r" /usr/bin/env -i \
      HOME=/root LANG=C.UTF-8 TERM="${TERM:-dumb}" CI="${CI:-}" TZ="${TZ:-UTC}" \
      PM_BENCH="${PM_BENCH:-}" PM_FUZZ_EXAMPLES="${PM_FUZZ_EXAMPLES:-}" \
      PATH="$venv/bin:/usr/local/bin:/usr/bin:/bin" VIRTUAL_ENV="$venv" \
      SSL_CERT_FILE="$ca" PIP_CERT="$ca" REQUESTS_CA_BUNDLE="$ca" \
      PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_DEFAULT_TIMEOUT=180 PLAYWRIGHT_BROWSERS_PATH=0 PM_INSIDE=1 \
      /bin/bash -c "cd \"\$0\" && exec \"\$@\"" "$cwd" "$@"
  ' pm-run "$ROOTFS" "$ROOT" "$cwd" "$VENV_IN_ENV" "$ca" "$@"
}

# Build or refresh the environment. Idempotent: a no-op when nothing changed.
ensure_env() {
  [[ "$PM_MODE" != inside ]] || return 0
  # One builder at a time: several commands may start at once (parallel test runs, a worktree
  # sharing .cache), and two builders would tear down each other's tree.
  mkdir -p "$CACHE"
  local lock_fd
  exec {lock_fd}>"$CACHE/.env.lock"
  flock "$lock_fd"
  _ensure_env_locked
  flock -u "$lock_fd"
  exec {lock_fd}>&-
}

_ensure_env_locked() {
  if [[ "$PM_MODE" == rootfs ]]; then
    ensure_rootfs
  fi
  local stamp="$VENV/.pressure_mask_requirements"
  local want; want="$(requirements_hash)"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    return
  fi
  if [[ ! -f "$VENV/pyvenv.cfg" ]]; then
    say "Creating the virtual environment ($PM_MODE Python 3.14)"
    if [[ "$PM_MODE" == host ]]; then
      python3.14 -m venv "$VENV"
    else
      pm_exec /usr/bin/python3.14 -m venv "$VENV_IN_ENV"
    fi
  fi
  say "Installing the pinned requirements (Home Assistant 2026.10.4 and test tools; about a minute the first time)"
  (cd "$ROOT" && pm_exec python -m pip install --progress-bar off -q --upgrade pip) >&2
  (cd "$ROOT" && pm_exec python -m pip install --progress-bar off \
      -r requirements_test.txt -r requirements_dev.txt 2>&1 |
      grep -E --line-buffered '^(Collecting|Successfully|ERROR)' | sed -u 's/ (from .*//' | sed -u 's/^/    /' >&2) ||
    true
  (cd "$ROOT" && pm_exec python -c 'import homeassistant, pytest_homeassistant_custom_component') ||
    die "Installing the requirements failed (see the messages above)."
  echo "$want" > "$stamp"
  say "Environment ready"
}
