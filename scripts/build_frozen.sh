#!/usr/bin/env bash
# Build the one-folder application (dist/intake-app/) with PyInstaller and start it once with
# --self-check on a temporary data folder, offscreen. Fails when the build fails, when the
# self-check exits non-zero, or when anything unexpected appears on its stderr.
#
#   bash scripts/build_frozen.sh            # uses .venv (made by scripts/_env.sh)
#   INTAKE_PYTHON=/path/to/python bash scripts/build_frozen.sh   # another interpreter
#   INTAKE_SKIP_BUILD=1 ...       # only check the existing dist/intake-app
#   INTAKE_MEASURE_START=1 ...    # also measure the start time to the unlock window (Xvfb)
#
# Prints how long each part took. Leaves build/ (PyInstaller's work folder) and dist/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
if [ -n "${INTAKE_PYTHON:-}" ]; then
  py="$INTAKE_PYTHON"
else
  source scripts/_env.sh
  py="$root/.venv/bin/python"
fi

# PyInstaller needs binutils (objdump) on Linux; the spec also uses its `strip`.
if [ "$(uname -s)" = Linux ] && ! command -v objdump >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "== installing binutils (PyInstaller needs objdump)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq binutils >/dev/null
  else
    echo "PyInstaller needs objdump: install binutils (e.g. sudo apt-get install binutils)." >&2
    exit 1
  fi
fi

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f s", b - a }'; }
started="$(now)"
app="dist/intake-app/intake-app"
case "$(uname -s)" in MINGW*|MSYS*|CYGWIN*) app="dist/intake-app/intake-app-cli.exe" ;; esac

if [ "${INTAKE_SKIP_BUILD:-0}" != 1 ]; then  # INTAKE_SKIP_BUILD=1: check the existing build
  echo "== compiling the catalogs"
  t="$(now)"
  "$py" scripts/i18n.py compile >/dev/null
  echo "   $(since "$t")"

  echo "== PyInstaller (build.spec -> dist/intake-app)"
  t="$(now)"
  "$py" -m PyInstaller --noconfirm --log-level WARN --workpath build --distpath dist build.spec
  echo "   $(since "$t"), $(du -sh dist/intake-app | cut -f1)"
fi

# A throwaway home: the self-check makes its own temporary folder (under TMPDIR) and keeps its
# settings there, and nothing may land in the real home or data folder of whoever builds.
scratch="$(mktemp -d)"
xvfb_pid=""
cleanup() {
  if [ -n "$xvfb_pid" ]; then kill "$xvfb_pid" 2>/dev/null || true; fi
  rm -rf "$scratch"
}
trap cleanup EXIT
mkdir -p "$scratch/home" "$scratch/tmp" "$scratch/data"

run_self_check() {  # $1: QT_QPA_PLATFORM; the rest: a prefix command (e.g. xvfb-run -a)
  local platform="$1"; shift
  local err="$scratch/stderr-$platform.txt"
  local rc=0
  env HOME="$scratch/home" TMPDIR="$scratch/tmp" XDG_CONFIG_HOME="$scratch/home/.config" \
      XDG_CACHE_HOME="$scratch/home/.cache" XDG_DATA_HOME="$scratch/home/.local/share" \
      XDG_RUNTIME_DIR="$scratch/runtime" INTAKE_DATA_DIR="$scratch/data" \
      QT_QPA_PLATFORM="$platform" \
      "$@" "$app" --data-dir "$scratch/data" --self-check 2>"$err" || rc=$?
  # The only line on stderr that does not mean a fault: Qt's offscreen platform saying it
  # cannot pass window size hints to a window system it does not have (printed when the
  # unlock window is shown; harmless for a window nobody sees). XDG_RUNTIME_DIR is set above,
  # so Qt's notes about a missing runtime folder would be unexpected too.
  local unexpected
  unexpected="$(grep -v -x -F 'This plugin does not support propagateSizeHints()' "$err" || true)"
  if [ "$rc" -ne 0 ]; then
    echo "!! self-check ($platform) exited with $rc; its stderr:" >&2
    cat "$err" >&2
    return 1
  fi
  if [ -n "$unexpected" ]; then
    echo "!! self-check ($platform) passed but wrote unexpected lines on stderr:" >&2
    echo "$unexpected" >&2
    return 1
  fi
  if [ -n "$(ls -A "$scratch/tmp")" ]; then
    echo "!! self-check ($platform) left files in its temporary folder:" >&2
    ls -laR "$scratch/tmp" >&2
    return 1
  fi
  # Nothing may land in the home or data folder either (fontconfig's cache of the system's
  # fonts is not ours and holds nothing about anyone; nor is the note of the D-Bus session's
  # address that libdbus's autolaunch leaves in ~/.dbus/session-bus/ on an X display without a
  # session bus, as under xvfb-run once dbus-x11 is installed).
  local written
  written="$(cd "$scratch" && find home data -type f ! -path 'home/.cache/fontconfig/*' \
             ! -path 'home/.dbus/session-bus/*')"
  if [ -n "$written" ]; then
    echo "!! self-check ($platform) wrote outside its temporary folder:" >&2
    echo "$written" >&2
    return 1
  fi
}

echo "== $app --self-check (offscreen)"
t="$(now)"
mkdir -p -m 700 "$scratch/runtime"
run_self_check offscreen
echo "   $(since "$t")"

# The same on a real X server when one can be made, to prove the xcb plugin and the system
# libraries it needs load from the bundle. Optional: CI machines without Xvfb skip it.
if command -v xvfb-run >/dev/null 2>&1 && [ "$(uname -s)" = Linux ]; then
  echo "== $app --self-check (xcb under Xvfb)"
  t="$(now)"
  run_self_check xcb xvfb-run -a
  echo "   $(since "$t")"
fi

echo "== checking the bundle's contents (tests/process/test_frozen_build.py)"
t="$(now)"
INTAKE_FROZEN_DIR="$root/dist/intake-app" QT_QPA_PLATFORM=offscreen \
  "$py" -m pytest -q -p no:cacheprovider tests/process/test_frozen_build.py
echo "   $(since "$t")"

# Optional (INTAKE_MEASURE_START=1, needs Xvfb and xdotool): seconds from starting the program
# to the unlock window being visible on an X server, frozen and from source, runs interleaved
# so that a busy machine slows both alike; prints the medians and their ratio.
if [ "${INTAKE_MEASURE_START:-0}" = 1 ]; then
  echo "== start time to the unlock window (frozen vs source, median of ${INTAKE_MEASURE_RUNS:-7})"
  printf 'measure start passphrase\nmeasure start passphrase\n' |
    "$app" --data-dir "$scratch/measure" init >/dev/null 2>&1
  # -noreset: an X server that resets when its last client leaves refuses the next one meanwhile.
  Xvfb :79 -noreset -screen 0 1280x1024x24 >/dev/null 2>&1 &
  xvfb_pid=$!
  sleep 1
  seconds_to_window() {  # the program's command line -> seconds until "Intake" is visible
    local t0 pid
    t0="$(now)"
    env DISPLAY=:79 QT_QPA_PLATFORM=xcb HOME="$scratch/home" "$@" >/dev/null 2>"$scratch/start.err" &
    pid=$!
    for _ in $(seq 1000); do
      DISPLAY=:79 xdotool search --onlyvisible --name '^Intake$' >/dev/null 2>&1 && break
      if ! kill -0 "$pid" 2>/dev/null; then
        echo "!! $* ended before its window showed:" >&2; cat "$scratch/start.err" >&2; exit 1
      fi
      sleep 0.02
    done
    awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }'
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  }
  # The architecture's yardstick too: a bare PySide6 window titled "Intake", from source.
  bare_window='from PySide6.QtWidgets import QApplication, QWidget
app = QApplication([]); w = QWidget(); w.setWindowTitle("Intake"); w.show(); app.exec()'
  frozen=(); source=(); bare=()
  for _ in $(seq "${INTAKE_MEASURE_RUNS:-7}"); do
    frozen+=("$(seconds_to_window "$app" --data-dir "$scratch/measure")")
    source+=("$(seconds_to_window "$py" -m intake_app --data-dir "$scratch/measure")")
    bare+=("$(seconds_to_window "$py" -c "$bare_window")")
  done
  kill "$xvfb_pid" 2>/dev/null || true
  xvfb_pid=""
  median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
  f="$(median "${frozen[@]}")"; s="$(median "${source[@]}")"; b="$(median "${bare[@]}")"
  echo "   frozen: ${frozen[*]}"
  echo "   source: ${source[*]}"
  echo "   bare PySide6 window (source): ${bare[*]}"
  awk -v f="$f" -v s="$s" -v b="$b" 'BEGIN {
    printf "   median frozen %.2f s, source %.2f s, bare window %.2f s\n", f, s, b
    printf "   frozen/source %.2f, frozen/bare %.2f, source/bare %.2f\n", f / s, f / b, s / b }'
fi

echo "== frozen build OK in $(since "$started")"
