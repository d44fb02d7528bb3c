#!/usr/bin/env bash
# dc_wdx.sh - show a WDX content plugin's fields as custom columns in the real Double Commander
# (Debian doublecmd-gtk 1.0.10, Xvfb + xdotool, no window manager) and read back what DC shows.
#
# Usage:
#   tests/doublecmd/dc_wdx.sh --plugin PATH.wdx --name NAME --fields F1,F2,... --data DIR --work WORK
#
# 1. config   WORK/cfg/doublecmd.xml registers PATH.wdx as content plugin NAME (<WdxPlugins>; the
#             detect string comes from the plugin's ContentGetDetectString) and redefines the
#             "Default" column set as: file name ([DC().GETFILENAME{}]), then one column per field
#             ([Plugin(NAME).FIELD{}]); WORK/cfg/shortcuts.scf binds Ctrl+Shift+F11 to
#             cm_CopyFileDetailsToClip (DC has no default key for it; an older hotkey-file
#             version makes DC add its default keys too).
# 2. columns  DC starts with -L DIR -R DIR; click the left panel, Ctrl+A marks every file; the
#             screenshot WORK/dc_columns.png shows the columns.
# 3. copy     Ctrl+Shift+F11 copies the visible columns of the marked files (tab-separated, one
#             line per file) to the X clipboard; xclip reads it into WORK/columns.txt.  DC may
#             still be fetching plugin values in the background: the copy is repeated until two
#             consecutive copies agree (at most 20 times).
# Prints "PASS" (exit 0), or one "FAIL: <step>: <why>" line (exit 1; WORK/fail.png, WORK/dc.log).
# DC and Xvfb are always stopped on exit; a watchdog ends the run after DC_WDX_TIMEOUT s (240).
# Needs: doublecmd-gtk xvfb xdotool x11-utils imagemagick xclip.
set -uo pipefail

PLUGIN= NAME= FIELDS= DATA= WORK=
while [ $# -gt 0 ]; do
  case $1 in
    --plugin) PLUGIN=${2-}; shift 2 ;;
    --name) NAME=${2-}; shift 2 ;;
    --fields) FIELDS=${2-}; shift 2 ;;
    --data) DATA=${2-}; shift 2 ;;
    --work) WORK=${2-}; shift 2 ;;
    *) sed -n '5,6p' "$0" >&2; exit 2 ;;
  esac
done
[ -n "$PLUGIN" ] && [ -n "$NAME" ] && [ -n "$FIELDS" ] && [ -d "$DATA" ] && [ -n "$WORK" ] \
  || { sed -n '5,6p' "$0" >&2; exit 2; }

STEP=setup XPID= DCPID= WATCHDOG= DISPLAY_READY=0
fail() {
  trap - TERM INT
  echo "FAIL: $STEP: $*"
  if [ "$DISPLAY_READY" = 1 ]; then
    timeout 10 import -silent -window root "$WORK/fail.png" >/dev/null 2>&1 || true
  fi
  exit 1
}
for tool in doublecmd Xvfb xdotool import xdpyinfo xclip timeout md5sum; do
  command -v "$tool" >/dev/null 2>&1 || fail "required tool '$tool' not found (tools/setup.sh installs it)"
done
[ -f "$PLUGIN" ] || fail "plugin '$PLUGIN' not found"
PLUGIN=$(readlink -f "$PLUGIN") DATA=$(readlink -f "$DATA")
mkdir -p "$WORK" && WORK=$(readlink -f "$WORK") || fail "cannot create $WORK"
rm -rf "$WORK/cfg" "$WORK/dc_columns.png" "$WORK/fail.png" "$WORK/columns.txt" "$WORK/.xdisplay"
: > "$WORK/dc.log"

now_ms() { date +%s%3N; }
xc() { timeout 10 "$@" 2>/dev/null; }
wait_until() { # wait_until SECONDS CMD... : poll CMD every 0.2 s
  local end=$(( $(now_ms) + $1 * 1000 )); shift
  while :; do
    "$@" >/dev/null 2>&1 && return 0
    [ "$(now_ms)" -ge "$end" ] && return 1
    sleep 0.2
  done
}
pid_alive() { [ -n "$1" ] && [ -r "/proc/$1/stat" ] && ! grep -q '^[0-9]* ([^)]*) Z' "/proc/$1/stat" 2>/dev/null; }
stop_pid() {
  [ -n "$1" ] || return 0
  kill "$1" 2>/dev/null
  local i; for i in $(seq 20); do pid_alive "$1" || break; sleep 0.1; done
  kill -9 "$1" 2>/dev/null; wait "$1" 2>/dev/null; return 0
}
cleanup() { stop_pid "$DCPID"; stop_pid "$XPID"; [ -n "$WATCHDOG" ] && kill "$WATCHDOG" 2>/dev/null; return 0; }
trap cleanup EXIT
trap '' PIPE
trap 'fail "interrupted or global timeout (${DC_WDX_TIMEOUT:-240} s)"' TERM INT
( end=$(( $(date +%s) + ${DC_WDX_TIMEOUT:-240} ))
  while [ "$(date +%s)" -lt "$end" ]; do sleep 1; kill -0 $$ 2>/dev/null || exit 0; done
  kill -TERM $$ 2>/dev/null ) </dev/null >/dev/null 2>&1 &
WATCHDOG=$!

xml_escape() { local s=$1; s=${s//&/&amp;}; s=${s//</&lt;}; s=${s//>/&gt;}; printf '%s' "$s"; }
column() { # column TITLE FUNCSTRING
  printf '        <Column>\n          <Title>%s</Title>\n          <FuncString>%s</FuncString>\n          <Width>120</Width>\n        </Column>\n' \
    "$(xml_escape "$1")" "$(xml_escape "$2")"
}

# --- 1: config --------------------------------------------------------------------------------------
STEP=config
mkdir -p "$WORK/cfg"
{
  cat <<XML
<?xml version="1.0" encoding="UTF-8"?>
<doublecmd DCVersion="1.0.10" ConfigVersion="13">
  <Behaviours>
    <OnlyOneAppInstance>False</OnlyOneAppInstance>
  </Behaviours>
  <ColumnsSets>
    <ColumnsSet>
      <Name>Default</Name>
      <Columns>
XML
  column Name '[DC().GETFILENAME{}]'
  IFS=, read -r -a fields <<<"$FIELDS"
  for f in "${fields[@]}"; do column "$f" "[Plugin($NAME).$f{}]"; done
  cat <<XML
      </Columns>
    </ColumnsSet>
  </ColumnsSets>
  <Plugins>
    <WdxPlugins>
      <WdxPlugin>
        <Name>$(xml_escape "$NAME")</Name>
        <Path>$(xml_escape "$PLUGIN")</Path>
        <DetectString></DetectString>
      </WdxPlugin>
    </WdxPlugins>
  </Plugins>
</doublecmd>
XML
} > "$WORK/cfg/doublecmd.xml"
cat > "$WORK/cfg/shortcuts.scf" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<doublecmd DCVersion="1.0.10">
  <Hotkeys Version="52">
    <Form Name="Main">
      <Hotkey>
        <Shortcut>Ctrl+Shift+F11</Shortcut>
        <Command>cm_CopyFileDetailsToClip</Command>
      </Hotkey>
    </Form>
  </Hotkeys>
</doublecmd>
XML
: > "$WORK/cfg/multiarc.ini"

# --- X server, DC -----------------------------------------------------------------------------------
STEP=xvfb
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$WORK/.xdisplay" </dev/null >/dev/null 2>&1 &
XPID=$!
wait_until 10 grep -q '^[0-9]' "$WORK/.xdisplay" || fail "Xvfb did not report a display within 10 s"
export DISPLAY=":$(head -n1 "$WORK/.xdisplay" | tr -dc 0-9)"
wait_until 10 timeout 5 xdpyinfo || fail "Xvfb on $DISPLAY does not answer"
DISPLAY_READY=1
export NO_AT_BRIDGE=1
export HOME=${HOME:-$WORK}

screen_hash() { xc import -silent -window root rgb:- | md5sum | cut -c1-32; }
wait_stable() { # until 3 consecutive screen captures ~0.25 s apart are identical
  local end=$(( $(now_ms) + $1 * 1000 )) prev= same=0 h
  while [ "$(now_ms)" -lt "$end" ]; do
    h=$(screen_hash)
    if [ -n "$h" ] && [ "$h" = "$prev" ]; then same=$((same + 1)); [ $same -ge 2 ] && return 0; else same=0; fi
    prev=$h; sleep 0.25
  done
  return 1
}
main_window() { # DC's main window (message boxes share its title: take the big one)
  local w X= Y= WIDTH= HEIGHT= SCREEN= WINDOW=
  for w in $(xc xdotool search --onlyvisible --name '^Double Commander'); do
    eval "$(xc xdotool getwindowgeometry --shell "$w")"
    [ "${WIDTH:-0}" -ge 500 ] && { echo "$w"; return 0; }
  done
  return 1
}
main_window_or_dead() { main_window || ! pid_alive "$DCPID"; }

STEP="start DC"
doublecmd --no-splash --config-dir="$WORK/cfg" -L "$DATA" -R "$DATA" </dev/null >>"$WORK/dc.log" 2>&1 &
DCPID=$!
wait_until 90 main_window_or_dead || fail "DC main window did not appear within 90 s"
pid_alive "$DCPID" || fail "DC exited at startup (see dc.log)"
MAINWIN=$(main_window)
wait_stable 8
X= Y= WIDTH= HEIGHT= SCREEN= WINDOW=
eval "$(xc xdotool getwindowgeometry --shell "$MAINWIN")"
[ -n "$WIDTH" ] || fail "cannot read the DC window geometry"

# --- 2: columns ----------------------------------------------------------------------------------------
STEP=columns
xc xdotool mousemove $((X + WIDTH / 4)) $((Y + HEIGHT * 3 / 4)) click 1
sleep 0.5
xc xdotool key ctrl+a
sleep 0.5
wait_stable 10
xc import -silent -window root "$WORK/dc_columns.png" || fail "no screenshot"

# --- 3: copy the columns and read the clipboard ----------------------------------------------------
STEP=copy
prev=
for attempt in $(seq 20); do
  pid_alive "$DCPID" || fail "DC exited (see dc.log)"
  xc xclip -selection clipboard -i /dev/null  # empty it: a stale text must not count
  xc xdotool key ctrl+shift+F11
  sleep 1
  text=$(xc xclip -selection clipboard -o) || text=
  if [ -n "$text" ] && [ "$text" = "$prev" ]; then
    printf '%s\n' "$text" > "$WORK/columns.txt"
    wait_stable 5
    xc import -silent -window root "$WORK/dc_columns.png"
    echo "columns copied after $attempt copies: $WORK/columns.txt"
    echo PASS
    exit 0
  fi
  prev=$text
done
fail "the clipboard never held the same column text twice (last: '${prev:0:200}')"
