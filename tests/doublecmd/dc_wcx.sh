#!/usr/bin/env bash
# dc_wcx.sh - prove that a WCX packer plugin works inside the real Double Commander
# (Debian doublecmd-gtk 1.0.10), driven headlessly with Xvfb + xdotool.
#
# Usage:
#   tests/doublecmd/dc_wcx.sh --plugin PATH.wcx --ext EXT --archive ARCHIVE --member NAME --work DIR
#                             [--flags N] [--wait-log FILE --wait-pattern REGEX] [--expect-error]
#                             [--register CMD]
#
# --register CMD: the generated config has no <Plugins> section; CMD --config-dir DIR/cfg (e.g.
# `epy-codegen install PATH.wcx --host doublecmd --ext EXT`) must register the plugin in it.
#
# --expect-error: for a plugin whose functions fail (raise in Python): open the archive, let
# the failure show (DC's error box, or an empty listing), screenshot DIR/dc_error.png, and
# PASS if DC loaded the plugin and is still running and responsive afterwards.
#
# Steps (each failure prints one "FAIL: <step>: <why>" line, keeps DIR/fail.png and DIR/dc.log, exit 1):
#   1. config   DIR/cfg/doublecmd.xml registers PATH.wcx for EXT with <Flags>N</Flags>
#               (default 69 = PK_CAPS_NEW|PK_CAPS_MULTIPLE|PK_CAPS_BY_CONTENT; DC takes the caps
#               from its config, not from GetPackerCaps).  The config is rewritten before each DC start.
#   2. list     ARCHIVE is copied to DIR/data/test.EXT (the only file there); DC starts with
#               -L DIR/data/test.EXT -R DIR/out; click the left panel, End, Return opens the archive
#               through the plugin.  Screenshot of the listing: DIR/dc_list.png (test artifact).
#   3. extract  put the cursor on NAME, F5, Return in the "Copy file(s)" dialog -> DIR/out/NAME must
#               appear non-empty and be the only file in DIR/out.  Its path is printed; comparing the
#               content with the member is the caller's job.
#   4. pack     DC restarts with -L DIR/src/a.txt -R DIR/dest (a.txt = "first file line\n"), Alt+F5,
#               Return in the "Pack files" dialog (packer preselected through <LastUsedPacker>EXT) ->
#               DIR/dest/a.EXT must appear non-empty.
#   Prints "PASS" and exits 0 on success.  DC and Xvfb are always killed on exit (trap); a watchdog
#   ends the whole run after DC_WCX_TIMEOUT seconds (default 400); every wait has its own timeout.
#
# How the "listing is shown" wait works (plugin-independent by default):
#   DC 1.0.10 writes debug lines to stdout, captured in DIR/dc.log (DC runs on a pty via
#   util-linux script(1), because FreePascal only flushes stdout per line on a terminal; into a
#   plain file the lines arrive late, cut in the middle).  Opening an archive prints
#   "Creating TWcxArchiveFileSource", "WCX module loaded <path>", "Open Archive", "Get File List"
#   (before the ReadHeader loop) and, once the archive has been read and the panel starts listing it,
#   "Creating connection TWcxArchiveFileSourceConnection".  The script waits for that last line
#   (counted only in output produced after Return was pressed), checks that DC loaded exactly
#   PATH.wcx ("WCX module loaded <realpath>" in dc.log and the file mapped in /proc/<dc>/maps),
#   then waits until the screen is unchanged for 3 consecutive captures (~0.5 s) before taking the
#   screenshot.  If the plugin rejects the archive DC shows a message box instead; the script sees
#   the extra window and fails at once.  With --wait-log FILE --wait-pattern REGEX it additionally
#   waits until FILE (the plugin's own call log) has, among the lines written after Return was
#   pressed, one matching the extended regex REGEX.
#
# How NAME is selected in the listing:
#   DC's quick search.  In DC 1.0.10 typing plain letters in a file panel opens the quick-search box
#   (Keyboard/Typing/Actions/NoModifier = 2) and moves the cursor to the first matching entry; the
#   generated config pins this and QuickSearch MatchBeginning=MatchEnding=True (case-insensitive),
#   so typing the full name lands on NAME itself (a NAME without a dot may also match "NAME.ext";
#   such a mix-up is caught because DIR/out must then contain exactly NAME).  The script presses
#   Home (cursor on [..]), types NAME with xdotool, Escape closes the box and keeps the cursor.
#   Limits: NAME must be a top-level entry of the archive (no '/'), and should start with a letter
#   or digit (a leading space would mark the file instead of starting the search).
#
# Driving facts (no window manager): focus follows the pointer, and the GTK file list only takes
# keyboard focus after a click, so the script clicks an empty spot of the left panel and points at
# each dialog before pressing keys in it.  A DC start that dies before its main window appears
# (rare, never with the plugin loaded yet) is retried once.  The X display is chosen by Xvfb itself (-displayfd), so
# parallel runs do not collide.  Needs: doublecmd-gtk xvfb xdotool x11-utils imagemagick.
set -uo pipefail

usage() {
  sed -n '6,7p' "$0" | sed 's/^# \{0,3\}//' >&2
  exit 2
}

PLUGIN= EXT= ARCHIVE= MEMBER= WORK= FLAGS=69 WAIT_LOG= WAIT_PATTERN= EXPECT_ERROR= REGISTER=
while [ $# -gt 0 ]; do
  case $1 in
    --plugin) PLUGIN=${2-}; shift 2 ;;
    --ext) EXT=${2-}; shift 2 ;;
    --archive) ARCHIVE=${2-}; shift 2 ;;
    --member) MEMBER=${2-}; shift 2 ;;
    --work) WORK=${2-}; shift 2 ;;
    --flags) FLAGS=${2-}; shift 2 ;;
    --wait-log) WAIT_LOG=${2-}; shift 2 ;;
    --wait-pattern) WAIT_PATTERN=${2-}; shift 2 ;;
    --expect-error) EXPECT_ERROR=1; shift ;;
    --register) REGISTER=${2-}; shift 2 ;;
    -h|--help) usage ;;
    *) echo "dc_wcx.sh: unknown argument '$1'" >&2; usage ;;
  esac
done
[ -n "$PLUGIN" ] && [ -n "$EXT" ] && [ -n "$ARCHIVE" ] && [ -n "$MEMBER" ] && [ -n "$WORK" ] || usage
if { [ -n "$WAIT_LOG" ] && [ -z "$WAIT_PATTERN" ]; } || { [ -z "$WAIT_LOG" ] && [ -n "$WAIT_PATTERN" ]; }; then
  echo "dc_wcx.sh: --wait-log and --wait-pattern go together" >&2; exit 2
fi
case $MEMBER in */*) echo "dc_wcx.sh: --member must be a top-level entry (no '/')" >&2; exit 2 ;; esac
case $FLAGS in ''|*[!0-9]*) echo "dc_wcx.sh: --flags must be a number" >&2; exit 2 ;; esac

STEP=setup
XPID= DCPID= WRAPPID= WATCHDOG=
DISPLAY_READY=0

fail() { # fail WHY : one clear line, fail.png, dc.log stays; exit 1 (the EXIT trap cleans up)
  trap - TERM INT
  echo "FAIL: $STEP: $*"
  if [ "$DISPLAY_READY" = 1 ]; then
    timeout 10 import -silent -window root "$WORK/fail.png" >/dev/null 2>&1 || true
    [ -s "$WORK/fail.png" ] && echo "  screenshot: $WORK/fail.png"
  fi
  [ -f "$WORK/dc.log" ] && echo "  DC output:  $WORK/dc.log"
  exit 1
}

for tool in doublecmd Xvfb xdotool import xdpyinfo timeout md5sum; do
  command -v "$tool" >/dev/null 2>&1 || fail "required tool '$tool' not found (apt-get install doublecmd-gtk xvfb xdotool x11-utils imagemagick)"
done
[ -f "$PLUGIN" ] || fail "plugin '$PLUGIN' not found"
[ -f "$ARCHIVE" ] || fail "archive '$ARCHIVE' not found"
PLUGIN=$(readlink -f "$PLUGIN")
ARCHIVE=$(readlink -f "$ARCHIVE")
[ -n "$WAIT_LOG" ] && WAIT_LOG=$(readlink -m "$WAIT_LOG")
mkdir -p "$WORK" || fail "cannot create $WORK"
WORK=$(readlink -f "$WORK")

now_ms() { date +%s%3N; }
xc() { timeout 10 "$@" 2>/dev/null; } # every X client call is bounded

# wait_until SECONDS CMD... : poll CMD every 0.2 s
wait_until() {
  local end=$(( $(now_ms) + $1 * 1000 )); shift
  while :; do
    "$@" >/dev/null 2>&1 && return 0
    [ "$(now_ms)" -ge "$end" ] && return 1
    sleep 0.2
  done
}

# alive = exists and is not a zombie
pid_alive() { [ -n "$1" ] && [ -r "/proc/$1/stat" ] && ! grep -q '^[0-9]* ([^)]*) Z' "/proc/$1/stat" 2>/dev/null; }
stop_pid() { # stop_pid PID : SIGTERM, up to 2 s grace, SIGKILL
  [ -n "$1" ] || return 0
  kill "$1" 2>/dev/null
  local i
  for i in $(seq 20); do pid_alive "$1" || break; sleep 0.1; done
  kill -9 "$1" 2>/dev/null
  wait "$1" 2>/dev/null
  return 0
}
stop_dc() {
  stop_pid "$DCPID"; DCPID=
  stop_pid "$WRAPPID"; WRAPPID=
}
cleanup() {
  stop_dc
  stop_pid "$XPID"
  [ -n "$WATCHDOG" ] && kill "$WATCHDOG" 2>/dev/null
  return 0
}
trap cleanup EXIT
trap '' PIPE    # a caller piping into head must not kill the script before its cleanup
trap 'fail "interrupted or global timeout (${DC_WCX_TIMEOUT:-400} s)"' TERM INT
( end=$(( $(date +%s) + ${DC_WCX_TIMEOUT:-400} ))
  while [ "$(date +%s)" -lt "$end" ]; do sleep 1; kill -0 $$ 2>/dev/null || exit 0; done
  kill -TERM $$ 2>/dev/null ) </dev/null >/dev/null 2>&1 &
WATCHDOG=$!

# --- work tree ------------------------------------------------------------------------------------
rm -rf "$WORK/cfg" "$WORK/data" "$WORK/out" "$WORK/src" "$WORK/dest" \
       "$WORK/dc_list.png" "$WORK/fail.png" "$WORK/dc.log" "$WORK/.xdisplay"
mkdir -p "$WORK/data" "$WORK/out" "$WORK/src" "$WORK/dest" || fail "cannot create work tree"
cp "$ARCHIVE" "$WORK/data/test.$EXT" || fail "cannot copy archive"
printf 'first file line\n' > "$WORK/src/a.txt"
: > "$WORK/dc.log"

xml_escape() { local s=$1; s=${s//&/&amp;}; s=${s//</&lt;}; s=${s//>/&gt;}; printf '%s' "$s"; }

write_cfg() { # a fresh minimal config; DC fills in every other default itself
  rm -rf "$WORK/cfg"; mkdir -p "$WORK/cfg"
  cat > "$WORK/cfg/doublecmd.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<doublecmd DCVersion="1.0.10" ConfigVersion="13">
  <Behaviours>
    <OnlyOneAppInstance>False</OnlyOneAppInstance>
  </Behaviours>
  <Keyboard>
    <Typing>
      <Actions>
        <NoModifier>2</NoModifier>
        <Alt>0</Alt>
        <CtrlAlt>3</CtrlAlt>
      </Actions>
    </Typing>
  </Keyboard>
  <QuickSearch>
    <MatchBeginning>True</MatchBeginning>
    <MatchEnding>True</MatchEnding>
    <Case>1</Case>
    <Items>2</Items>
  </QuickSearch>
  <LastUsedPacker>$(xml_escape "$EXT")</LastUsedPacker>
$(if [ -z "$REGISTER" ]; then cat <<PLUGINS
  <Plugins>
    <WcxPlugins>
      <WcxPlugin Enabled="True">
        <ArchiveExt>$(xml_escape "$EXT")</ArchiveExt>
        <Path>$(xml_escape "$PLUGIN")</Path>
        <Flags>$FLAGS</Flags>
      </WcxPlugin>
    </WcxPlugins>
  </Plugins>
PLUGINS
fi)
</doublecmd>
XML
  if [ -n "$REGISTER" ]; then
    bash -c "$REGISTER --config-dir $(printf %q "$WORK/cfg")" >>"$WORK/register.log" 2>&1 \
      || fail "--register command failed (see $WORK/register.log)"
    grep -q '<WcxPlugin ' "$WORK/cfg/doublecmd.xml" || fail "--register wrote no <WcxPlugin> entry"
  fi
  # No MultiArc (external archiver) entries: only the plugin under test may handle archives.
  : > "$WORK/cfg/multiarc.ini"
}

# --- X server -------------------------------------------------------------------------------------
STEP=xvfb
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$WORK/.xdisplay" </dev/null >/dev/null 2>&1 &
XPID=$!
wait_until 10 grep -q '^[0-9]' "$WORK/.xdisplay" || fail "Xvfb did not report a display within 10 s"
export DISPLAY=":$(head -n1 "$WORK/.xdisplay" | tr -dc 0-9)"
wait_until 10 timeout 5 xdpyinfo || fail "Xvfb on $DISPLAY does not answer"
DISPLAY_READY=1
export NO_AT_BRIDGE=1            # no accessibility bus lookups (they can stall GTK without D-Bus)
export HOME=${HOME:-$WORK}

screen_hash() { xc import -silent -window root rgb:- | md5sum | cut -c1-32; }
# wait_stable SECONDS : until 3 consecutive screen captures ~0.25 s apart are identical
wait_stable() {
  local end=$(( $(now_ms) + $1 * 1000 )) prev= same=0 h
  while [ "$(now_ms)" -lt "$end" ]; do
    h=$(screen_hash)
    if [ -n "$h" ] && [ "$h" = "$prev" ]; then
      same=$((same + 1)); [ $same -ge 2 ] && return 0
    else
      same=0
    fi
    prev=$h; sleep 0.25
  done
  echo "warning: screen still changing after $1 s" >&2
  return 1
}

log_size() { stat -c %s "$1" 2>/dev/null || echo 0; }
# log_has_after FILE OFFSET ERE : FILE's content after byte OFFSET has a line matching ERE
# (if FILE shrank, it was recreated: look at all of it)
log_has_after() {
  local size; size=$(log_size "$1")
  if [ "$size" -lt "$2" ]; then grep -Eq -- "$3" "$1"; else tail -c +"$(( $2 + 1 ))" "$1" | grep -Eq -- "$3"; fi
}

dc_alive() { pid_alive "$DCPID"; }
# dc_log_or_dead ERE : DC output since $DCLOG_OFF has a line matching ERE, or DC is gone
dc_log_or_dead() { log_has_after "$WORK/dc.log" "$DCLOG_OFF" "$1" || ! dc_alive; }

# child_of PID : print the pid of a child process of PID
child_of() {
  local f pid comm state ppid rest
  for f in /proc/[0-9]*/stat; do
    read -r pid comm state ppid rest 2>/dev/null < "$f" || continue
    [ "$ppid" = "$1" ] && { echo "$pid"; return 0; }
  done
  return 1
}

MAINWIN=
# main_window : id of DC's visible main window (message boxes are also called "Double Commander",
# so take the big one)
main_window() {
  local w X= Y= WIDTH= HEIGHT= SCREEN= WINDOW=
  for w in $(xc xdotool search --onlyvisible --name '^Double Commander'); do
    eval "$(xc xdotool getwindowgeometry --shell "$w")"
    [ "${WIDTH:-0}" -ge 500 ] && { echo "$w"; return 0; }
  done
  return 1
}
main_window_or_dead() { main_window || ! dc_alive; }
# other_windows : titles of the visible, named top-level windows besides the main window
other_windows() {
  local w n
  for w in $(xc xdotool search --onlyvisible --name ''); do
    [ "$w" = "$MAINWIN" ] && continue
    n=$(xc xdotool getwindowname "$w") || continue
    # DC may map its main form more than once while starting (seen under load):
    # a window titled like the main window is not a dialog.
    case "$n" in "Double Commander" | "Double Commander - ROOT PRIVILEGES") continue ;; esac
    [ -n "$n" ] && printf "'%s' " "$n"
  done
  return 0
}
has_other_window() { [ -n "$(other_windows)" ]; }
# window_note : " (DC shows window(s) ...: see fail.png)" when some dialog is open
window_note() { local o; o=$(other_windows); [ -z "$o" ] || printf ' (DC shows window(s) %s: see fail.png)' "${o% }"; }

launch_dc() { # launch_dc LEFT_FILE RIGHT_DIR : start DC in the background, set DCPID (and WRAPPID)
  write_cfg
  echo "===== doublecmd -L $1 -R $2" >> "$WORK/dc.log"
  local cmd; cmd=$(printf '%q ' doublecmd --no-splash --config-dir="$WORK/cfg" -L "$1" -R "$2")
  if command -v script >/dev/null 2>&1; then
    # DC (FreePascal) block-buffers stdout into a file but flushes every line on a terminal:
    # run it on a pty (util-linux script) so its debug lines reach dc.log as they happen.
    SHELL=/bin/bash script -q -f -e -a -c "exec $cmd" "$WORK/dc.log" </dev/null >/dev/null 2>&1 &
    WRAPPID=$!
    wait_until 10 child_of "$WRAPPID" || fail "DC did not start under script(1)"
    DCPID=$(child_of "$WRAPPID")
  else
    doublecmd --no-splash --config-dir="$WORK/cfg" -L "$1" -R "$2" </dev/null >>"$WORK/dc.log" 2>&1 &
    DCPID=$!
  fi
}

# start_dc LEFT_FILE RIGHT_DIR : fresh config, DC up, left panel focused, cursor on LEFT_FILE
# (LEFT_FILE is the only file in its directory, so End reaches it).  DC 1.0.10 very rarely dies
# while starting (seen twice in ~150 starts during development, before any plugin was loaded); such a start is
# retried once (noted on stderr).  A start in which the plugin was loaded is never retried.
start_dc() {
  local attempt off
  for attempt in 1 2; do
    off=$(log_size "$WORK/dc.log")
    launch_dc "$1" "$2"
    wait_until 90 main_window_or_dead && dc_alive && break
    local why="DC exited at startup (see dc.log)"
    dc_alive && why="DC main window did not appear within 90 s"
    stop_dc
    if [ "$attempt" = 2 ] || log_has_after "$WORK/dc.log" "$off" '^WCX module loaded'; then fail "$why"; fi
    echo "note: $why; retrying once" >&2
  done
  MAINWIN=$(main_window)
  wait_stable 8
  [ -z "$(other_windows)" ] || fail "DC opened a dialog at startup$(window_note)"
  local X= Y= WIDTH= HEIGHT= SCREEN= WINDOW=
  eval "$(xc xdotool getwindowgeometry --shell "$MAINWIN")"
  [ -n "$WIDTH" ] || fail "cannot read the DC window geometry"
  # empty spot in the lower part of the left file list
  xc xdotool mousemove $((X + WIDTH / 4)) $((Y + HEIGHT * 3 / 4)) click 1
  sleep 0.5
  xc xdotool key End
  sleep 0.3
}

# dialog_key TITLE_ERE KEY [HINT] : point at the dialog (focus follows the pointer) and press KEY
dialog_key() {
  wait_until 45 dialog_or_dead "$1" || fail "dialog matching '$1' did not appear within 45 s${3:+ ($3)}$(window_note)"
  dc_alive || fail "DC exited (crashed?) before the '$1' dialog appeared"
  sleep 0.3
  local D; D=$(xc xdotool search --onlyvisible --name "$1" | head -n1)
  local X= Y= WIDTH= HEIGHT= SCREEN= WINDOW=
  eval "$(xc xdotool getwindowgeometry --shell "$D")"
  [ -n "$WIDTH" ] || fail "cannot read the geometry of dialog '$1'"
  xc xdotool mousemove $((X + WIDTH / 2)) $((Y + 12))
  sleep 0.3
  xc xdotool key "$2"
}

dialog_or_dead() { xc xdotool search --onlyvisible --name "$1" || ! dc_alive; }
# DC's operation window gets "[Waiting for user response]" in its title while an error/question
# box of the operation is open (e.g. "Archive format unknown" from the plugin)
op_blocked() { other_windows | grep -q 'Waiting for user response'; }
file_or_dead() { [ -s "$1" ] || ! dc_alive || op_blocked; }

# wait_file SECONDS PATH : PATH non-empty and its size unchanged for 0.6 s
wait_file() {
  wait_until "$1" file_or_dead "$2" && [ -s "$2" ] && ! op_blocked || return 1
  local a b
  for _ in $(seq 20); do
    a=$(log_size "$2"); sleep 0.3; b=$(log_size "$2"); sleep 0.3
    [ "$a" = "$b" ] && [ "$b" = "$(log_size "$2")" ] && return 0
  done
  return 0
}

T0=$(now_ms)
elapsed() { local t=$(( $(now_ms) - T0 )); printf '%d.%01ds' $((t / 1000)) $((t % 1000 / 100)); }

# --- 1+2: open the archive through the plugin -------------------------------------------------------
STEP="start DC (listing)"
start_dc "$WORK/data/test.$EXT" "$WORK/out"

STEP="open archive"
DCLOG_OFF=$(log_size "$WORK/dc.log")
WAIT_OFF=0; [ -n "$WAIT_LOG" ] && WAIT_OFF=$(log_size "$WAIT_LOG")
xc xdotool key Return
source_or_trouble() { dc_log_or_dead '^Creating TWcxArchiveFileSource' || has_other_window; }
wait_until 30 source_or_trouble && log_has_after "$WORK/dc.log" "$DCLOG_OFF" '^Creating TWcxArchiveFileSource' \
  || fail "DC did not open data/test.$EXT as an archive (plugin not used for .$EXT?)$(window_note)"
# Success: DC has read the whole archive and the panel starts listing it.  Failure: DC shows a
# message box ("Archive format unknown" etc.) or dies.
listing_or_trouble() { dc_log_or_dead '^Creating connection TWcxArchiveFileSourceConnection' || has_other_window; }
wait_until 30 listing_or_trouble \
  || fail "DC neither listed nor rejected the archive within 30 s (plugin hangs in OpenArchive/ReadHeader?)"
dc_alive || fail "DC exited (crashed?) while opening the archive"
grep -Fq "WCX module loaded $PLUGIN " "$WORK/dc.log" \
  || fail "DC did not load $PLUGIN (no 'WCX module loaded $PLUGIN' in dc.log: not a WCX plugin, missing exports?)"
grep -Fq "$PLUGIN" "/proc/$DCPID/maps" || fail "$PLUGIN is not mapped in the DC process"
if [ -n "$EXPECT_ERROR" ]; then
  # The plugin failed on purpose: DC must survive it and still answer.
  sleep 1
  wait_stable 8
  xc import -silent -window root "$WORK/dc_error.png"
  shown=$(other_windows)
  xc xdotool key Escape; sleep 1
  dc_alive || fail "DC exited after the plugin's failure"
  main_window >/dev/null || fail "DC's main window is gone after the plugin's failure"
  echo "DC stayed up after the plugin failed (${shown:-no dialog, empty listing}): $WORK/dc_error.png"
  stop_dc
  echo "PASS"
  exit 0
fi
log_has_after "$WORK/dc.log" "$DCLOG_OFF" '^Creating connection TWcxArchiveFileSourceConnection' \
  || fail "the plugin could not open/list the archive$(window_note)"
if [ -n "$WAIT_LOG" ]; then
  wait_until 30 log_has_after "$WAIT_LOG" "$WAIT_OFF" "$WAIT_PATTERN" \
    || fail "no line matching '$WAIT_PATTERN' in $WAIT_LOG within 30 s"
fi
dc_alive || fail "DC exited (crashed?) while listing the archive"
sleep 0.3
wait_stable 8
xc import -silent -window root "$WORK/dc_list.png"
[ -s "$WORK/dc_list.png" ] || fail "could not take the listing screenshot"
echo "listing shown ($(elapsed)): $WORK/dc_list.png"

# --- 3: select NAME and extract it with F5 --------------------------------------------------------
STEP="select member"
xc xdotool key Home
sleep 0.3
xc xdotool type --delay 60 -- "$MEMBER"
sleep 0.6
xc xdotool key Escape
sleep 0.4

STEP="extract (F5)"
xc xdotool key F5
dialog_key '^Copy' Return "is '$MEMBER' in the listing? F5 on [..] does nothing"
wait_file 30 "$WORK/out/$MEMBER" || {
  dc_alive || fail "DC exited (crashed?) during extraction"
  got=$(ls -A "$WORK/out" | head -n5 | tr '\n' ' ')
  fail "$WORK/out/$MEMBER did not appear non-empty${got:+ (out/ has: $got)}$(window_note)"
}
dc_alive || fail "DC exited (crashed?) during extraction"
others=$(ls -A "$WORK/out" | grep -vxF -- "$MEMBER" | head -n5 | tr '\n' ' ')
[ -z "$others" ] || fail "out/ has other entries than $MEMBER: $others(wrong member selected?)"
echo "extracted ($(elapsed)): $WORK/out/$MEMBER"
stop_dc

# --- 4: pack src/a.txt into dest/a.EXT with Alt+F5 -------------------------------------------------
STEP="start DC (pack)"
start_dc "$WORK/src/a.txt" "$WORK/dest"
STEP="pack (Alt+F5)"
xc xdotool key alt+F5
dialog_key '^Pack files' Return
wait_file 30 "$WORK/dest/a.$EXT" || {
  dc_alive || fail "DC exited (crashed?) during packing"
  got=$(ls -A "$WORK/dest" | head -n5 | tr '\n' ' ')
  note=$(window_note); [ -n "$note" ] || note=" (needs PackFiles(W) and PK_CAPS_NEW=1 in --flags)"
  fail "$WORK/dest/a.$EXT did not appear non-empty${got:+ (dest/ has: $got)}$note"
}
dc_alive || fail "DC exited (crashed?) during packing"
echo "packed ($(elapsed)): $WORK/dest/a.$EXT"
stop_dc

echo "PASS"
exit 0
