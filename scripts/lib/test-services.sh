# Sourced by scripts/test and scripts/with-test-services: starts Xvfb, a private D-Bus session
# and an unlocked gnome-keyring in a temporary folder, exports what programs need to find them,
# and stops them all on exit.

TEST_RUN_DIR=$(mktemp -d /tmp/scopestack-test.XXXXXX)
test_service_pids=()

stop_test_services() {
  local pid
  for pid in "${test_service_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$TEST_RUN_DIR"
}

_wait_for_file() { local _; for _ in $(seq 100); do [[ -s "$1" ]] && return 0; sleep 0.1; done; echo "timed out waiting for $2" >&2; return 1; }

start_test_services() {
  Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$TEST_RUN_DIR/display" 2>"$TEST_RUN_DIR/xvfb.log" &
  test_service_pids+=($!)
  _wait_for_file "$TEST_RUN_DIR/display" "Xvfb"
  export DISPLAY=":$(cat "$TEST_RUN_DIR/display")"

  mkdir -p "$TEST_RUN_DIR/runtime" "$TEST_RUN_DIR/data" "$TEST_RUN_DIR/config" "$TEST_RUN_DIR/home"
  chmod 700 "$TEST_RUN_DIR/runtime"
  export XDG_RUNTIME_DIR="$TEST_RUN_DIR/runtime" XDG_DATA_HOME="$TEST_RUN_DIR/data" XDG_CONFIG_HOME="$TEST_RUN_DIR/config"
  dbus-daemon --session --fork --nopidfile --print-address=3 --print-pid=4 3>"$TEST_RUN_DIR/bus" 4>"$TEST_RUN_DIR/bus.pid"
  _wait_for_file "$TEST_RUN_DIR/bus.pid" "dbus-daemon"
  test_service_pids+=("$(cat "$TEST_RUN_DIR/bus.pid")")
  DBUS_SESSION_BUS_ADDRESS="$(head -n 1 "$TEST_RUN_DIR/bus")"
  export DBUS_SESSION_BUS_ADDRESS

  head -c 24 /dev/urandom | base64 > "$TEST_RUN_DIR/keyring-password"
  gnome-keyring-daemon --foreground --unlock --components=secrets < "$TEST_RUN_DIR/keyring-password" >"$TEST_RUN_DIR/keyring.log" 2>&1 &
  test_service_pids+=($!)
  local _
  for _ in $(seq 50); do
    dbus-send --session --print-reply --dest=org.freedesktop.DBus / org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q "boolean true" && break
    sleep 0.1
  done
  export SCOPESTACK_COMPANION_HOME="$TEST_RUN_DIR/home"
}
