#!/usr/bin/env bash
# Installs what epy's build and tests need on a fresh Debian 12 machine, by
# package name; skips what is already there. Safe to run again.
set -euo pipefail

# cargo-fuzz and a nightly toolchain: the fuzz targets (fuzz/run.sh and the
# smoke run in .ci/run). `tools/setup.sh fuzz` installs only these.
fuzz_tools() {
    if command -v rustup >/dev/null && ! rustup toolchain list | grep -q '^nightly'; then
        echo "setup: rustup toolchain install nightly" >&2
        rustup toolchain install nightly --profile minimal
    fi
    cargo fuzz --version >/dev/null 2>&1 || {
        echo "setup: cargo install cargo-fuzz" >&2
        cargo install cargo-fuzz --locked
    }
}
if [ "${1:-}" = fuzz ]; then
    fuzz_tools
    exit
fi

# doublecmd-gtk + xvfb, xdotool, x11-utils (xdpyinfo), imagemagick (import): the
# Double Commander GUI tests (tests/doublecmd/dc_wcx.sh, dc_wdx.sh); xclip reads
# back what Double Commander copies (dc_wdx.sh); dpkg-deb (dpkg) makes tests/wdx.rs's package.
# pamtester + libpam0g-dev: the PAM module test (tests/pam.rs).
# ffmpeg: its frei0r filter runs the Python frei0r example (tests/frei0r.rs).
# strace: tests/sqlite.rs (a row's SQL function call touches no file).
apt_packages=(libclang-dev gcc gdb ladspa-sdk sox valgrind strace sqlite3 libsqlite3-dev doublecmd-plugins
    doublecmd-gtk xvfb xdotool x11-utils imagemagick xclip
    pamtester libpam0g-dev ffmpeg)
missing=()
for p in "${apt_packages[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ((${#missing[@]})); then
    echo "setup: installing ${missing[*]}" >&2
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Plugin-interface headers of the corpus test (tests/corpus.rs). A package
# this Debian lacks is skipped here and by the test, with a message.
corpus_packages=(lv2-dev dssi-dev libp11-kit-dev libpam0g-dev frei0r-plugins-dev liblua5.4-dev
    tcl-dev libssl-dev collectd-dev weechat-dev libasound2-dev libsane-dev libsasl2-dev libkrb5-dev
    libfuse3-dev openvpn)
missing=()
for p in "${corpus_packages[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 && continue
    if apt-cache policy "$p" 2>/dev/null | grep -q 'Candidate: [0-9]'; then
        missing+=("$p")
    else
        echo "setup: $p is not available here: the corpus test skips its headers" >&2
    fi
done
if ((${#missing[@]})); then
    echo "setup: installing ${missing[*]}" >&2
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Python tools the tests use: mypy (stubs pass --strict), jedi (completion),
# numpy (the LADSPA numpy example), pyftpdlib (a local FTP server for
# Double Commander's ftp.wfx in tests/wfx.rs).
python3 -c "import mypy, jedi, numpy, pyftpdlib" 2>/dev/null || {
    echo "setup: pip install mypy jedi numpy pyftpdlib" >&2
    python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore mypy jedi numpy pyftpdlib
}

# APSW (a Python SQLite host that loads extensions: tests/sqlite.rs) and CFFI in
# pyenv's 3.11, 3.12 and 3.13, where installed.
for v in 3.11 3.12 3.13; do
    for py in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/"$v".*/bin/python"$v"; do
        [ -x "$py" ] || continue
        "$py" -c "import apsw" 2>/dev/null || {
            echo "setup: $py -m pip install apsw" >&2
            "$py" -m pip install -q --disable-pip-version-check --root-user-action=ignore apsw
        }
        # CFFI (setuptools builds it on 3.12+): benches/first_call/ per Python version.
        "$py" -c "import cffi, setuptools" 2>/dev/null || {
            echo "setup: $py -m pip install cffi setuptools" >&2
            "$py" -m pip install -q --disable-pip-version-check --root-user-action=ignore cffi setuptools
        }
    done
done

command -v cargo >/dev/null || { echo "setup: cargo (Rust) is required" >&2; exit 1; }
fuzz_tools
