#!/bin/sh
# The Debian packages the project needs from the system, in one place (the Makefile and .ci/run call this script).
#   tools/system-packages.sh GROUP...      GROUP: run (make run), test (make test), build (make build)
#   tools/system-packages.sh --list GROUP... prints the packages of the groups, one line
# Checks with dpkg-query whether they are installed (silent and fast when they are). Missing ones are installed with
# apt-get when running as root; otherwise it prints, in German, the command to run and exits with 1. Without
# apt-get and dpkg (not Debian or Ubuntu) it says what is needed and exits with 0, since it cannot check.
# IMON_SKIP_SYSTEM_PACKAGES=1 skips all of this.
set -u

# What Qt (PySide6) loads on a bare machine, and a font: without one every label renders as boxes.
RUN_DEBS="libgl1 libegl1 libxkbcommon0 libfontconfig1 libfreetype6 libdbus-1-3 libglib2.0-0 fonts-dejavu-core"
# Qt's xcb platform plugin, for a real X display (a desktop or Xvfb).
RUN_DEBS="$RUN_DEBS libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0"
# The tests open the generated workbooks in real office software and make a certificate with the openssl command.
TEST_DEBS="libreoffice-calc-nogui openssl"
# PyInstaller reads and writes executables with objdump and objcopy.
BUILD_DEBS="binutils"

usage() { echo "Aufruf: $0 [--list] run|test|build ..." >&2; exit 2; }

list=0
if [ "${1:-}" = "--list" ]; then list=1; shift; fi
[ $# -gt 0 ] || usage
wanted=""
groups=""
for group in "$@"; do
  case "$group" in
    run) wanted="$wanted $RUN_DEBS" ;;
    test) wanted="$wanted $TEST_DEBS" ;;
    build) wanted="$wanted $BUILD_DEBS" ;;
    *) usage ;;
  esac
  groups="$groups $group"
done
wanted=$(echo $wanted)  # one space between names

if [ "$list" = 1 ]; then echo "$wanted"; exit 0; fi
case "${IMON_SKIP_SYSTEM_PACKAGES:-}" in 1|yes|true) exit 0 ;; esac

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  {
    echo "Hinweis: Dies ist kein Debian- oder Ubuntu-System; ob die nötigen Systempakete da sind, kann hier nicht"
    echo "geprüft werden. Bitte mit der Paketverwaltung des Systems installieren:"
    case " $groups " in *" run "*|*" test "*)
      echo "  - für Qt (nur unter Linux): OpenGL/EGL (libGL, libEGL), xkbcommon (mit xkbcommon-x11), fontconfig,"
      echo "    freetype, D-Bus, GLib, für ein echtes X-Display xcb-cursor, xcb-icccm, xcb-keysyms und xcb-shape,"
      echo "    dazu eine Schrift wie DejaVu (sonst erscheinen alle Beschriftungen als Kästchen)" ;;
    esac
    case " $groups " in *" test "*)
      echo "  - für die Tests: LibreOffice Calc (Befehl libreoffice oder soffice) und den Befehl openssl" ;;
    esac
    case " $groups " in *" build "*)
      echo "  - für make build: binutils (objdump, objcopy)" ;;
    esac
    echo "Es geht trotzdem weiter. (IMON_SKIP_SYSTEM_PACKAGES=1 schaltet diesen Hinweis ab.)"
  } >&2
  exit 0
fi

# Installed packages and what they provide (Ubuntu 24.04 and Debian 13 renamed libglib2.0-0 to libglib2.0-0t64,
# which provides the old name).
missing() {
  dpkg-query -W -f='${db:Status-Status} ${Package}, ${Provides}\n' 2>/dev/null | awk -v wanted="$wanted" '
    $1 == "installed" {
      $1 = ""
      n = split($0, names, ",")
      for (i = 1; i <= n; i++) { split(names[i], word, " "); if (word[1] != "") have[word[1]] = 1 }
    }
    END {
      n = split(wanted, w, " "); out = ""
      for (i = 1; i <= n; i++) if (!(w[i] in have)) out = out (out == "" ? "" : " ") w[i]
      print out
    }'
}

need=$(missing)
[ -n "$need" ] || exit 0

if [ "$(id -u)" = 0 ]; then
  echo "Installiere fehlende Systempakete: $need" >&2
  log=$(mktemp)
  if apt-get update -qq >"$log" 2>&1 &&
     DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need >>"$log" 2>&1; then
    rm -f "$log"
    exit 0
  fi
  tail -n 20 "$log" >&2
  rm -f "$log"
  echo "Fehler: Die Systempakete ließen sich nicht installieren (Ausgabe von apt-get oben): $need" >&2
  exit 1
fi

command="apt-get update && apt-get install --no-install-recommends $need"
if command -v sudo >/dev/null 2>&1; then
  command="sudo apt-get update && sudo apt-get install --no-install-recommends $need"
else
  command="su -c '$command'"
fi
{
  echo "Es fehlen Debian-Pakete: $need"
  echo "Bitte einmal als Administrator (root) ausführen und danach denselben make-Befehl wiederholen:"
  echo
  echo "    $command"
  echo
} >&2
exit 1
