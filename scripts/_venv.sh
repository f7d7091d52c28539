# Sourced by scripts/test and scripts/demo: make .venv with pinned dependencies.
# Re-installs only when pyproject.toml or constraints.txt changed since the last install.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${GATEUI_VENV:-$ROOT/.venv}"
EXTRA="${1:-}"
PY="${PYTHON:-python3}"
if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "GateUI needs Python 3.11 or newer (found: $("$PY" --version 2>&1))" >&2
  exit 1
fi
[ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"
STAMP="$VENV/.gateui-installed${EXTRA:+-$EXTRA}"
WANT="$(cat "$ROOT/pyproject.toml" "$ROOT/constraints.txt" | sha256sum | cut -d' ' -f1)"
DEV_STAMP="$VENV/.gateui-installed-dev"
if [ -z "$EXTRA" ] && [ -f "$DEV_STAMP" ] && [ "$(cat "$DEV_STAMP")" = "$WANT" ]; then
  :  # the dev install holds everything the plain one does
elif [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$WANT" ]; then
  "$VENV/bin/python" -m pip install --quiet --upgrade pip
  "$VENV/bin/python" -m pip install --quiet -c "$ROOT/constraints.txt" -e "$ROOT${EXTRA:+[$EXTRA]}"
  echo "$WANT" > "$STAMP"
fi
export PATH="$VENV/bin:$PATH"
