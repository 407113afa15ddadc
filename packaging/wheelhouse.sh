#!/usr/bin/env bash
# A wheelhouse for installing briefbook from source where there is no network:
# run it on a connected machine, carry the folder over, install with pip or uv
# offline (README: "Offline install from source"). Every file is pinned by the
# SHA-256 hashes in uv.lock, and briefbook's own wheel by the hash of the one
# built here, so the install refuses any file that is not the one made here.
#
#   packaging/wheelhouse.sh [OUT]                       # for this machine's OS, CPU and Python
#   packaging/wheelhouse.sh OUT --python-version 3.11 --platform win_amd64
#   packaging/wheelhouse.sh OUT --python-version 3.12 --platform manylinux_2_28_x86_64
#
# OUT (default dist/wheelhouse) receives requirements.txt and wheels/.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="$(mkdir -p "${1:-$ROOT/dist/wheelhouse}" && cd "${1:-$ROOT/dist/wheelhouse}" && pwd)"
[ $# -gt 0 ] && shift
cd "$ROOT"
rm -rf "$OUT/wheels" "$OUT/requirements.txt"
mkdir -p "$OUT/wheels"
# 1. The pins and their hashes, from uv.lock: the program's dependencies, no test or lint tools.
uv export -q --frozen --no-dev --no-emit-project --format requirements-txt -o "$OUT/requirements.txt"
# 2. Every dependency as a wheel (no source builds on the target), checked against its hash.
uvx pip download -q --only-binary=:all: --require-hashes --no-deps -d "$OUT/wheels" -r "$OUT/requirements.txt" "$@"
# 3. briefbook's own wheel, and its hash beside the others.
uv build -q --wheel -o "$OUT/wheels"
wheel="$(ls "$OUT"/wheels/briefbook-*.whl)"
version="$(basename "$wheel" | cut -d- -f2)"
printf 'briefbook==%s \\\n    --hash=sha256:%s\n' "$version" "$(sha256sum "$wheel" | cut -d' ' -f1)" >> "$OUT/requirements.txt"
echo "wheelhouse: $OUT ($(ls "$OUT/wheels" | wc -l) wheels, $(du -sh "$OUT/wheels" | cut -f1)); install offline with:"
echo "  python3 -m venv ~/.local/share/briefbook/venv"
echo "  ~/.local/share/briefbook/venv/bin/pip install --no-index --find-links $(basename "$OUT")/wheels --require-hashes -r $(basename "$OUT")/requirements.txt"
