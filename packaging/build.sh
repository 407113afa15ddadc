#!/usr/bin/env bash
# Build the one-folder bundle: dist/briefbook/briefbook and dist/briefbook-VERSION-linux-x86_64.tar.gz
# (on macOS also dist/briefbook.app). Run from anywhere; needs uv and a Python 3.11+
# built with a shared libpython (Debian's, pyenv's, python.org's all are).
#
#   packaging/build.sh            # uses the machine's python3
#   PYTHON=python3.12 packaging/build.sh
#
# The build runs in an environment of its own (build/venv-bundle) holding only the
# program's dependencies and PyInstaller (the `bundle` dependency group), never the
# test and lint tools, so nothing of theirs can end up in the bundle.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

export UV_PROJECT_ENVIRONMENT="$ROOT/build/venv-bundle"
uv sync -q --frozen --no-dev --group bundle ${PYTHON:+--python "$PYTHON"}
uv run -q --frozen --no-dev --group bundle --no-sync \
  pyinstaller --noconfirm --clean --log-level WARN \
  --distpath "$ROOT/dist" --workpath "$ROOT/build/pyinstaller" \
  packaging/briefbook.spec

version="$("$ROOT/dist/briefbook/briefbook" --version | awk '{print $2}')"
case "$(uname -s)" in
  Linux) os=linux ;;
  Darwin) os=macos ;;
  *) os="$(uname -s | tr '[:upper:]' '[:lower:]')" ;;
esac
archive="$ROOT/dist/briefbook-$version-$os-$(uname -m).tar.gz"
# The desktop integration files travel in the archive, beside the program.
mkdir -p "$ROOT/dist/briefbook/share"
cp -r "$ROOT/packaging/linux" "$ROOT/dist/briefbook/share/"
cp -r "$ROOT/packaging/icons" "$ROOT/dist/briefbook/share/"
tar -C "$ROOT/dist" -czf "$archive" briefbook
echo "built $ROOT/dist/briefbook/briefbook ($(du -sh "$ROOT/dist/briefbook" | cut -f1) unpacked)"
echo "      $archive ($(du -sh "$archive" | cut -f1))"
