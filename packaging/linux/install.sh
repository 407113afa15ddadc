#!/bin/sh
# Make briefbook a desktop program for this user (or, with --system, for everyone):
# a menu entry, its icon, and the briefing file type (*.briefbook) opening with it on
# a double click. Run it from the unpacked bundle (briefbook/share/linux/install.sh);
# it changes nothing inside the bundle, so the folder can stay where it is.
#
#   share/linux/install.sh            # this user: ~/.local/share/...
#   sudo share/linux/install.sh --system
#   share/linux/install.sh --uninstall [--system]
#
# It uses xdg-utils (Debian/Ubuntu: apt-get install xdg-utils), the steps a
# packager would write into a .deb's postinst.
set -eu
HERE="$(cd "$(dirname "$0")" && pwd)"
BUNDLE="$(cd "$HERE/../.." && pwd)"
ICONS="$BUNDLE/share/icons"
MODE=user
ACTION=install
for arg in "$@"; do
  case "$arg" in
    --system) MODE=system ;;
    --uninstall) ACTION=uninstall ;;
    *) echo "install.sh: unknown option $arg (use --system, --uninstall)" >&2; exit 2 ;;
  esac
done
for tool in xdg-mime xdg-icon-resource xdg-desktop-menu; do
  command -v "$tool" >/dev/null || { echo "install.sh: $tool is missing: install xdg-utils first." >&2; exit 1; }
done
[ -x "$BUNDLE/briefbook" ] || { echo "install.sh: $BUNDLE/briefbook is not there: run me from the unpacked bundle." >&2; exit 1; }

if [ "$MODE" = system ]; then
  BIN=/usr/local/bin
else
  BIN="${HOME}/.local/bin"
fi

if [ "$ACTION" = uninstall ]; then
  xdg-desktop-menu uninstall --mode "$MODE" briefbook.desktop || true
  xdg-mime uninstall --mode "$MODE" "$HERE/briefbook-mime.xml" || true
  for size in 16 24 32 48 64 128 256 512; do
    xdg-icon-resource uninstall --noupdate --mode "$MODE" --size "$size" briefbook || true
    xdg-icon-resource uninstall --noupdate --mode "$MODE" --context mimetypes --size "$size" application-x-briefbook || true
  done
  xdg-icon-resource forceupdate --mode "$MODE" || true
  [ -L "$BIN/briefbook" ] && rm -f "$BIN/briefbook"
  echo "briefbook's menu entry, icon and file type are removed (the folder $BUNDLE is left as it is)."
  exit 0
fi

# 1. The command, on the PATH (a link into the bundle: the bundle finds its files from its real place).
mkdir -p "$BIN"
ln -sf "$BUNDLE/briefbook" "$BIN/briefbook"
# 2. The icon, for the program and for its files.
for size in 16 24 32 48 64 128 256 512; do
  png="$ICONS/hicolor/${size}x${size}/apps/briefbook.png"
  xdg-icon-resource install --noupdate --novendor --mode "$MODE" --size "$size" "$png" briefbook
  xdg-icon-resource install --noupdate --novendor --mode "$MODE" --context mimetypes --size "$size" "$png" application-x-briefbook
done
xdg-icon-resource forceupdate --mode "$MODE"
# 3. The file type.
xdg-mime install --novendor --mode "$MODE" "$HERE/briefbook-mime.xml"
# 4. The menu entry, running the bundle by its full path (the PATH of a desktop session may lack ~/.local/bin).
tmp="$(mktemp -d)"
sed -e "s|^Exec=briefbook |Exec=\"$BUNDLE/briefbook\" |" -e "s|^TryExec=briefbook$|TryExec=$BUNDLE/briefbook|" \
  "$HERE/briefbook.desktop" > "$tmp/briefbook.desktop"
xdg-desktop-menu install --novendor --mode "$MODE" "$tmp/briefbook.desktop"
rm -rf "$tmp"
# 5. Briefing files open with briefbook on a double click.
if [ "$MODE" = user ]; then
  xdg-mime default briefbook.desktop application/x-briefbook
fi
echo "briefbook is installed for $( [ "$MODE" = system ] && echo everyone || echo "$(id -un)" ): menu entry, icon, and .briefbook files open with a double click."
echo "The command: $BIN/briefbook (a new shell may be needed for it to be on the PATH)."
