#!/usr/bin/env bash
# Checks, with `cargo tree`, that the code is ready for Windows and macOS although it is built and
# tested on Linux only: for x86_64-pc-windows-msvc and aarch64-apple-darwin, no GTK, WebKitGTK,
# libsoup or D-Bus crate is in the tree (the app's and the CLI's, tests included), and keyring has
# that platform's native store (windows-native, apple-native) and not Secret Service; for Linux,
# that Secret Service and GTK are still there. `cargo tree` resolves other targets without their
# standard library, so nothing is compiled and no target needs installing. Last, from the
# sources, that no Unix-only API is used outside a cfg(unix) or cfg(target_os = "linux").
#
#   bash scripts/lib/check-targets.sh    run by scripts/test; its last line is
#                                        "target checks: N passed, M failed"; exits 1 if any failed
set -uo pipefail
cd "$(dirname "$0")/../.."
export PATH="$HOME/.cargo/bin:$PATH"

passed=0 failed=0
pass() { passed=$((passed + 1)); echo "ok: $*"; }
fail() { failed=$((failed + 1)); echo "FAILED: $*"; }

# Crates that exist for Linux desktops only. A prefix match, so that their -sys crates, gdkx11,
# soup3, dbus-secret-service and the like are caught too.
LINUX_ONLY='^(gtk|gdk|webkit2gtk|javascriptcore|soup|libdbus-sys|dbus|secret-service|linux-keyutils)'

# crates TARGET: the name of every crate in the workspace's tree for TARGET, one a line (normal,
# build and dev dependencies; the end-to-end tests drive X11 and the Linux window only, so they
# are left out), or nothing when cargo cannot resolve it.
crates() {
  cargo tree --quiet --workspace --exclude e2e --target "$1" --prefix none --format '{p}' 2>&1 \
    | awk '{ print $1 }' | sort -u
}

# keyring_features TARGET: keyring's features for TARGET, one a line.
keyring_features() {
  cargo tree --quiet --workspace --exclude e2e --target "$1" -e features -i keyring --prefix none 2>&1 \
    | sed -n 's/^keyring feature "\(.*\)"$/\1/p' | sort -u
}

# check_other_target TARGET STORE: no Linux-only crate, and keyring with STORE only.
check_other_target() {
  local target=$1 store=$2 names linux_only features
  names=$(crates "$target")
  # A tree that did not resolve would hold none of the crates below, and pass for the wrong reason.
  if ! grep -qx tauri <<<"$names" || ! grep -qx keyring <<<"$names"; then
    fail "$target: cargo tree gave no tree with tauri and keyring in it: $(cargo tree --quiet --workspace --target "$target" 2>&1 | tail -n 3)"
    return
  fi
  linux_only=$(grep -E "$LINUX_ONLY" <<<"$names" | xargs)
  if [[ -z $linux_only ]]; then
    pass "$target: no GTK, WebKitGTK, libsoup, D-Bus or Secret Service crate among $(wc -l <<<"$names") crates"
  else
    fail "$target: Linux-only crates in the tree: $linux_only (cargo tree --target $target -i NAME says who pulls each in)"
  fi
  features=$(keyring_features "$target" | xargs)
  if grep -qw -- "$store" <<<"$features" && ! grep -q "secret-service" <<<"$features"; then
    pass "$target: keyring keeps secrets in the native store ($store; features: $features)"
  else
    fail "$target: keyring's features are \"$features\": it needs $store and no Secret Service feature, or it falls back to a mock store that keeps nothing"
  fi
}

check_other_target x86_64-pc-windows-msvc windows-native
check_other_target aarch64-apple-darwin apple-native

# Linux keeps what it has: Secret Service for the keychain, GTK and WebKitGTK for the window (which
# also shows that the pattern above finds these crates where they are).
linux=x86_64-unknown-linux-gnu
features=$(keyring_features "$linux" | xargs)
names=$(crates "$linux")
if grep -qw sync-secret-service <<<"$features" && grep -qw crypto-rust <<<"$features" \
  && grep -qx dbus-secret-service <<<"$names"; then
  pass "$linux: keyring keeps secrets in Secret Service (features: $features)"
else
  fail "$linux: keyring's features are \"$features\" (dbus-secret-service $(grep -qx dbus-secret-service <<<"$names" && echo present || echo absent)): Linux needs sync-secret-service and crypto-rust"
fi
linux_only=$(grep -E "$LINUX_ONLY" <<<"$names" | xargs)
if grep -qx gtk <<<"$names" && grep -qx webkit2gtk <<<"$names"; then
  pass "$linux: GTK and WebKitGTK are there for the window (Linux-only crates: $linux_only)"
else
  fail "$linux: the Linux tree lacks gtk or webkit2gtk (Linux-only crates found: ${linux_only:-none})"
fi

# `cargo tree` cannot see the code itself, and a Windows build cannot be compiled here (no standard
# library for it). So, from the sources: every use of a Unix-only API (std::os::unix, std::os::fd,
# std::os::linux, tokio's signal::unix, libc, nix) in the code Windows compiles — the engine,
# the sandbox, the CLI and the app, their unit tests included — has a cfg(unix) or
# cfg(target_os = "linux") attribute on one of the 3 lines above it. Modules compiled for Linux
# only are skipped once their `mod` line in src-tauri/lib.rs is gated.
linux_modules=(rendering desktop_session)
ungated_modules=()
for module in "${linux_modules[@]}"; do
  grep -B1 -x "pub mod $module;" src-tauri/lib.rs | grep -q 'cfg(target_os = "linux")' || ungated_modules+=("$module")
done
unix_uses=$(
  find crates/engine/src crates/cli/src crates/sandbox/src src-tauri -name '*.rs' \
    $(printf -- "-not -path src-tauri/%s.rs " "${linux_modules[@]}") -print0 \
    | xargs -0 awk '
        FNR == 1 { near = 0 }
        /#\[cfg\((all\()?(unix|target_os = "linux"|target_family = "unix")/ { near = 4 }
        /std::os::(unix|fd|linux)|signal::unix|libc::|nix::/ && near == 0 { print FILENAME ":" FNR ": " $0 }
        { if (near > 0) near-- }'
)
if ((${#ungated_modules[@]})); then
  fail "src-tauri/lib.rs declares ${ungated_modules[*]} without #[cfg(target_os = \"linux\")] on the line before"
elif [[ -z $unix_uses ]]; then
  pass "every Unix-only API in the code is under cfg(unix) or cfg(target_os = \"linux\")"
else
  fail "Unix-only APIs without cfg(unix) or cfg(target_os = \"linux\") (Windows would not compile them):
$unix_uses"
fi

echo "target checks: $passed passed, $failed failed"
((failed == 0))
