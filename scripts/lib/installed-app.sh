# Sourced by scripts/test: installs the .deb with dpkg -i, launches the INSTALLED app once under
# the test services' Xvfb (on its built-in sandbox, no credentials, a private config), checks that
# its main window appears and shows its first profile view, saves a screenshot, and closes it.
# The package stays installed only if it was installed before.

_installed_app_fail() {
  echo >&2
  echo "INSTALLED APP CHECK FAILED: $*" >&2
  if [[ -s ${installed_app_log:-} ]]; then echo "--- the app's output (last 30 lines) ---" >&2; tail -n 30 "$installed_app_log" >&2; fi
  return 1
}

# check_installed_app DEB: returns 0 when the installed app opened its window on the sandbox.
check_installed_app() {
  local deb=$1 bin=/usr/bin/scopestack-companion title="ScopeStack Companion"
  local shot=target/screenshots/installed-app.png run="$TEST_RUN_DIR/installed-app"
  local sudo=(); [[ $(id -u) -eq 0 ]] || sudo=(sudo)
  local package was_installed=false
  package=$(dpkg-deb -f "$deb" Package) || { _installed_app_fail "$deb is not a readable .deb"; return 1; }
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" && was_installed=true

  "${sudo[@]}" dpkg -i "$deb" >/dev/null || { _installed_app_fail "dpkg -i $deb failed"; return 1; }
  local outcome="" entry="/usr/share/applications/$(basename "$bin").desktop"
  if [[ ! -x $bin ]]; then outcome="the package $package installed no $bin"
  elif ! grep -qx "Exec=$(basename "$bin")" "$entry" 2>/dev/null; then outcome="no desktop entry $entry starting $(basename "$bin")"
  elif ! grep -qx "Name=$title" "$entry"; then outcome="the desktop entry $entry does not name the app \"$title\""
  elif [[ $package != scopestack-companion || $(basename "$deb") != scopestack-companion_*.deb ]]; then outcome="the package is $package in $(basename "$deb"), not scopestack-companion in scopestack-companion_….deb"
  else _launch_installed_app "$bin" "$title" "$run" "$shot"
  fi
  $was_installed || "${sudo[@]}" dpkg -r "$package" >/dev/null || echo "warning: could not remove the package $package again" >&2

  [[ -z $outcome ]] || { _installed_app_fail "$outcome"; return 1; }
  echo "The installed app ($package from $(basename "$deb")) opened its window on the sandbox and closed." >&2
}

# Runs the installed app once; leaves what went wrong, if anything, in the caller's $outcome.
_launch_installed_app() {
  local bin=$1 title=$2 run=$3 shot=$4
  mkdir -p "$run/home" "$run/config" "$run/data" "$run/cache" "$(dirname "$shot")"
  installed_app_log="$run/app.log"
  SCOPESTACK_COMPANION_HOME="$run/home" XDG_CONFIG_HOME="$run/config" XDG_DATA_HOME="$run/data" XDG_CACHE_HOME="$run/cache" \
    "$bin" >"$installed_app_log" 2>&1 &
  local pid=$! window="" ready=false _
  for _ in $(seq 600); do # up to 60 s
    kill -0 "$pid" 2>/dev/null || { outcome="$bin exited (status $(wait "$pid"; echo $?)) before its window appeared"; return 0; }
    [[ -n $window ]] || window=$(xdotool search --onlyvisible --name "^$title\$" 2>/dev/null | head -n 1 || true)
    grep -q "ui-ready" "$installed_app_log" && ready=true
    [[ -n $window && $ready == true ]] && break
    sleep 0.1
  done
  local colors=0
  if [[ -z $window ]]; then outcome="no visible window titled \"$title\" within 60 s"
  elif [[ $ready != true ]]; then outcome="the window opened but never showed its first profile view (no ui-ready within 60 s)"
  elif ! grep -q "built-in sandbox started" "$installed_app_log"; then outcome="the window opened but the built-in sandbox did not start"
  else
    # The page has drawn its view; wait (up to 20 s) until the screen shows it too. A blank window
    # has a colour or two, the "Starting…" one about 130 (its antialiased text), the profile view
    # with its forms and sidebar over 2000.
    for _ in $(seq 100); do
      colors=$(import -window "$window" png:- 2>/dev/null | identify -format %k - 2>/dev/null || echo 0)
      ((colors > 1000)) && break
      sleep 0.2
    done
    ((colors > 1000)) || outcome="the window never showed the profile view on screen (only $colors colours 20 s after the page said it was ready)"
  fi
  import -window root "$shot" 2>/dev/null && echo "Screenshot of the installed app: $shot" >&2

  local family; family=$(ps -o pid= --ppid "$pid" 2>/dev/null || true)
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; outcome=${outcome:-"the app did not close within 10 s of SIGTERM"}; fi
  wait "$pid" 2>/dev/null || true
  # WebKit's helper processes end with the app; give them a moment, then end any left behind.
  local child
  for child in $family; do
    for _ in $(seq 20); do kill -0 "$child" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$child" 2>/dev/null || true
  done
}
