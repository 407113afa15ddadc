#!/usr/bin/env bash
# Smoke test of the built bundle, as someone would meet it on a machine with no
# Python, no uv and no network: the archive unpacked into a folder of its own,
# an empty HOME, a bare environment. Every sub-command runs once, on real files:
# --version, init, import-plan of a published PDF, tree, search, notes, status,
# sources, meetings, plan list, export to PDF and Word (the shipped fonts
# embedded), clear, approve, clearance, copy, merge, conflicts, check, the team
# store (store init and sync on a throw-away PostgreSQL, when one is
# installed), and the window offscreen showing the plan tree (--screenshot).
#
#   packaging/smoke.sh [dist/briefbook-VERSION-linux-x86_64.tar.gz]
#
# As root, where the kernel allows it (unshare), each command runs in a namespace
# with no network and with the machine's Pythons, uv and this source tree hidden
# under empty folders: what the bundle does not carry, it cannot use. Otherwise
# it runs in a bare environment only, and says so.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
ARCHIVE="${1:-$(ls -t "$ROOT"/dist/briefbook-*.tar.gz 2>/dev/null | head -1)}"
[ -f "$ARCHIVE" ] || { echo "smoke: no bundle archive; run packaging/build.sh first." >&2; exit 1; }

WORK="$(mktemp -d /tmp/briefbook-smoke.XXXXXX)"
chmod 755 "$WORK"
PG_BIN=""
failures=0
cleanup() {
  local status=$?
  if [ -n "$PG_BIN" ] && [ -d "$WORK/pg/data" ]; then as_pg "$PG_BIN/pg_ctl" -D "$WORK/pg/data" -m immediate -w stop >/dev/null 2>&1 || true; fi
  if [ "$status" -ne 0 ] || [ "$failures" -gt 0 ]; then
    echo "smoke: the files are kept in $WORK (crash logs under home/.local/state/briefbook/log)" >&2
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT

tar -C "$WORK" -xzf "$ARCHIVE"
BB="$WORK/briefbook/briefbook"
mkdir -p "$WORK/home" "$WORK/run"
cp "$ROOT/tests/fixtures/plans/us_ogp_nap4_2019.pdf" "$WORK/run/plan.pdf"
cd "$WORK/run"

# -- isolation ------------------------------------------------------------------------
HIDE=()
for d in /usr/lib/python3 /usr/lib/python3.* /usr/local/lib/python3.* "$HOME/.pyenv" "$HOME/.local/share/uv" \
         "$HOME/.cache/uv" "$HOME/.local/bin" "$ROOT"; do
  [ -d "$d" ] && HIDE+=("$d")
done
cat > "$WORK/isolate.sh" <<'EOF'
#!/bin/sh
# In a fresh mount namespace: cover each folder named before "--" with an empty one.
while [ "$1" != "--" ]; do mount -t tmpfs -o ro,size=4k,mode=755 none "$1"; shift; done
shift
exec "$@"
EOF
chmod +x "$WORK/isolate.sh"
if [ "$(id -u)" -eq 0 ] && unshare --net --mount --propagation private true 2>/dev/null; then
  ISOLATED=yes
else
  ISOLATED=no
fi

# The bundle, as a user runs it: a bare environment, an empty HOME.
bb() {
  local env=(env -i HOME="$WORK/home" PATH=/usr/bin:/bin LANG=C.UTF-8 TZ=UTC ${QT:+QT_QPA_PLATFORM=$QT})
  if [ "$ISOLATED" = yes ]; then
    unshare --net --mount --propagation private "$WORK/isolate.sh" "${HIDE[@]}" -- "${env[@]}" "$BB" "$@"
  else
    "${env[@]}" "$BB" "$@"
  fi
}

step() { printf '== %s\n' "$*"; }
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
# expect "what" OUTPUT TEXT: OUTPUT holds TEXT
expect() { grep -qF -- "$3" <<<"$2" || fail "$1: expected '$3' in: $(head -c 600 <<<"$2")"; }
# run "what" ARGS...: the bundle succeeds; its output goes to $out
run() {
  local what="$1"; shift
  if ! out="$(bb "$@" 2>&1)"; then fail "$what: exit status non-zero: $(head -c 800 <<<"$out")"; fi
  if grep -q "Traceback\|internal error" <<<"$out"; then fail "$what: a traceback or internal error: $out"; fi
}
# refused "what" ARGS...: the bundle refuses with one sentence on stderr and status 1
refused() {
  local what="$1" status=0; shift
  err="$(bb "$@" 2>&1 >/dev/null)" || status=$?
  [ "$status" -eq 1 ] || fail "$what: exit status $status, not 1: $err"
  [ "$(wc -l <<<"$err")" -eq 1 ] && [[ "$err" == briefbook:* ]] || fail "$what: not one sentence: $err"
}

step "isolation: $ISOLATED$( [ "$ISOLATED" = yes ] && echo " (no network; hidden: ${HIDE[*]})")"
if [ "$ISOLATED" = yes ]; then
  probe="$(unshare --net --mount --propagation private "$WORK/isolate.sh" "${HIDE[@]}" -- env -i PATH=/usr/bin:/bin sh -c \
    'command -v uv >/dev/null && echo "uv found"; python3 -c "print(\"python runs\")" 2>/dev/null; \
     (exec 3<>/dev/tcp/pypi.org/443) 2>/dev/null && echo "network reached"; true' 2>/dev/null)"
  [ -z "$probe" ] || fail "the isolation leaks: $probe"
  echo "   in there: no uv, no Python that starts, no network"
fi

step "--version"
run version --version
expect version "$out" "briefbook $(sed -n 's/^version = "\(.*\)"/\1/p' "$ROOT/pyproject.toml" | head -1)"

step "init (the seeded Japan-Italy plan; Alembic's migrations read from the bundle)"
run init init brief.briefbook
expect init "$out" "a briefing file with 42 commitments, 4 sources and 3 meetings"

step "import-plan of a published PDF"
run import-plan import-plan plan.pdf --db brief.briefbook
expect import-plan "$out" "OPEN GOVERNMENT NATIONAL ACTION PLAN"
run "plan list" plan list --db brief.briefbook
[ "$(wc -l <<<"$out")" -eq 2 ] || fail "plan list: two plans expected: $out"

step "tree, search, note, status, source, meeting"
run tree tree --db brief.briefbook
expect tree "$out" "3.2.1"
run search search "critical minerals" --db brief.briefbook
expect search "$out" "3.2.1"
run "note add" note add 3.2.1 --db brief.briefbook --kind talking_point --text "高市首相と経済安全保障を確認する — Italia e Giappone"
run "note list" note list 3.2.1 --db brief.briefbook
expect "note list" "$out" "高市首相と経済安全保障を確認する"
run status status 3.2.1 --db brief.briefbook --set on_track
run "source add" source add 3.2.1 --db brief.briefbook --title "Smoke test source" --url https://example.org/report
run "source list" source list 3.2.1 --db brief.briefbook
expect "source list" "$out" "Smoke test source"
run "meeting list" meeting list --db brief.briefbook
expect "meeting list" "$out" "Takaichi–Meloni summit meeting"

step "clearance: every part of a meeting's pack cleared, then the pack approved"
MEETING="Takaichi–Meloni summit meeting, Tokyo"
run clearance clearance "$MEETING" --db brief.briefbook
expect clearance "$out" "not approved"
refs="$(awk '/^  [0-9]/ {print $1}' <<<"$out")"   # the agenda entries' lines: "  3.2.1   draft"
[ -n "$refs" ] || fail "clearance: no agenda entries listed: $out"
run "clear the front matter" clear "$MEETING" --by "Desk Officer" --db brief.briefbook
for ref in $refs; do run "clear $ref" clear "$MEETING" --item "$ref" --by "Desk Officer" --db brief.briefbook; done
run approve approve "$MEETING" --by "Head of Desk" --db brief.briefbook
run "clearance after" clearance "$MEETING" --db brief.briefbook
expect "clearance after" "$out" "approved by Head of Desk"

step "export: PDF and Word, with the shipped fonts"
run "export pdf" export --db brief.briefbook --meeting "$MEETING" --format pdf -o pack.pdf \
  --classification RESTRICTED
run "export docx" export --db brief.briefbook --meeting "$MEETING" --format docx -o pack.docx \
  --classification RESTRICTED --no-page-numbers
[ "$(head -c 5 pack.pdf 2>/dev/null)" = "%PDF-" ] || fail "pack.pdf is not a PDF"
if command -v pdffonts >/dev/null; then
  fonts="$(pdffonts pack.pdf 2>&1 || true)"
  expect "PDF fonts" "$fonts" "LiberationSerif"
  expect "PDF fonts (Japanese)" "$fonts" "BIZUDPGothic"
  if command -v pdftotext >/dev/null; then expect "PDF text" "$(pdftotext pack.pdf - 2>&1 || true)" "高市首相と経済安全保障を確認する"; fi
fi
if command -v unzip >/dev/null; then
  parts="$(unzip -l pack.docx 2>&1 || true)"
  expect "Word parts" "$parts" "word/document.xml"
  expect "Word embedded font" "$parts" "word/fonts/"
  expect "Word text" "$(unzip -p pack.docx word/document.xml 2>&1 || true)" "高市首相と経済安全保障を確認する"
fi

step "copy, merge, conflicts, check"
run copy copy brief.briefbook colleague.briefbook
run "colleague's note" note add 1.1.1 --db colleague.briefbook --kind question --text "A colleague's question"
run merge merge colleague.briefbook --db brief.briefbook
run conflicts conflicts --db brief.briefbook
run check check brief.briefbook
expect check "$out" "Verdict: the file is in good order."
refused "a file that is not a briefing file" tree --db plan.pdf

step "the team store"
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4 -n | tail -1 || true)"
if [ -z "$PG_BIN" ] && command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then PG_BIN="$(dirname "$(command -v initdb)")"; fi
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
refused "an unreachable store (psycopg loads)" sync "postgresql://nobody@/briefings?host=$WORK/nowhere" --db brief.briefbook
if [ -n "$PG_BIN" ]; then
  mkdir -p "$WORK/pg"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$WORK/pg"
  as_pg "$PG_BIN/initdb" -D "$WORK/pg/data" -U postgres -E UTF8 --locale=C --auth-local=trust --no-instructions >/dev/null 2>&1
  # A socket only (no TCP): the bundle, without a network, reaches it through the file system.
  as_pg "$PG_BIN/pg_ctl" -D "$WORK/pg/data" -l "$WORK/pg/log" -w \
    -o "-c listen_addresses='' -c unix_socket_directories=$WORK/pg -c fsync=off" start >/dev/null
  as_pg "$PG_BIN/createdb" -h "$WORK/pg" -U postgres briefings
  URL="postgresql://postgres@/briefings?host=$WORK/pg"
  run "store init" store init "$URL"
  run sync sync "$URL" --db brief.briefbook
  run "a new laptop's file from the store" sync "$URL" --db laptop.briefbook
  run "its note" note list 3.2.1 --db laptop.briefbook
  expect "the store's copy" "$out" "高市首相と経済安全保障を確認する"
else
  echo "   (no PostgreSQL here: store init and sync against a real store skipped)"
fi

step "the window, offscreen, showing the plan tree"
QT=offscreen run window --db brief.briefbook --screenshot "$WORK/run/window.png"
expect window "$out" "brief.briefbook: the plan tree with"
rows="$(sed -n 's/.*the plan tree with \([0-9]*\) rows.*/\1/p' <<<"$out")"
[ "${rows:-0}" -gt 0 ] || fail "window: the tree showed no rows: $out"
[ -s "$WORK/run/window.png" ] || fail "window: no picture saved"
err="$(QT= bb --db brief.briefbook 2>&1 >/dev/null)" || true
expect "no display" "$err" "no display was found"
[ "${SMOKE_KEEP_SCREENSHOT:-}" ] && cp "$WORK/run/window.png" "$SMOKE_KEEP_SCREENSHOT"

if [ "$failures" -gt 0 ]; then
  echo "smoke: $failures check(s) failed" >&2
  exit 1
fi
echo "smoke: the bundle passed every check ($(du -sh "$WORK/briefbook" | cut -f1) unpacked, from $ARCHIVE)"
