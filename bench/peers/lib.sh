# Shared by the peer scripts (sourced, not run).

# A killed server is reparented once the starting script's shell has exited, so it can linger as a zombie until
# its new parent reaps it; kill -0 succeeds on zombies, so "alive" means present and not a zombie.
alive() {
  local state
  state=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
  [[ $state != Z* ]]
}

# stop_pidfile FILE [EXTRA_PIDS...]: SIGTERM to the process in FILE (and the extra pids), SIGKILL after 5 s,
# wait until it is gone, remove FILE. Nothing to do without FILE.
stop_pidfile() {
  local file=$1; shift
  [ -f "$file" ] || return 0
  local pid
  pid=$(cat "$file")
  if alive "$pid"; then
    kill "$pid" "$@" 2>/dev/null || true
    for _ in $(seq 1 50); do
      alive "$pid" || break
      sleep 0.1
    done
    if alive "$pid"; then
      kill -9 "$pid" 2>/dev/null || true
      while alive "$pid"; do sleep 0.1; done
    fi
  fi
  rm -f "$file"
}
