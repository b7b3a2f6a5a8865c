# shellcheck shell=bash
# The dashboard card (frontend/) builds with Node.js on the host, outside the Python environment.
# Node.js comes from the distribution (apt-get, as root) when it is missing; the packages come
# from the committed lockfile with `npm ci`, again only when the lockfile changed.
FRONTEND="$ROOT/frontend"

ensure_node() {
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null ||
      die "Node.js (20 or newer) and npm are needed to build the dashboard card: install them (e.g. apt-get install nodejs npm)."
    say "Installing Node.js and npm (Debian packages, once)"
    apt-get -o Acquire::Check-Valid-Until=false update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
  fi
  node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' ||
    die "Node.js $(node --version) is too old for the card's build tools: install Node.js 20 or newer."
}

ensure_frontend() {
  ensure_node
  local stamp="$FRONTEND/node_modules/.pressure_mask_lock"
  local want; want="$(sha256sum "$FRONTEND/package-lock.json" | cut -c1-16)"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    return
  fi
  say "Installing the card's build tools (npm ci from frontend/package-lock.json)"
  (cd "$FRONTEND" && npm ci --no-audit --no-fund --loglevel=error >&2) ||
    die "npm ci failed in frontend/ (see the messages above)."
  echo "$want" > "$stamp"
}
