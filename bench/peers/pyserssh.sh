#!/bin/bash
# Starts PyserSSH (the Python original of Termlet) on 127.0.0.1 as a peer for the load tool: pyserssh_echo.py, an
# echo server after PyserSSH's README quick example, password login bench/bench, prompt "$ ", RSA host key in DIR.
# PyserSSH itself echoes each typed key and hands whole lines to the echo handler, which sends them back.
# PyserSSH is not vendored: PYSERSSH_SRC (default /work/pyserssh) must hold a checkout of
# github.com/DPSoftware-Foundation/PyserSSH. Needs Debian's python3-paramiko and python3-psutil
# (apt-get install -y python3-paramiko python3-psutil); runs /usr/bin/python3 (PYSERSSH_PYTHON overrides).
# PYSERSSH_SFTP=1 also serves PyserSSH's SFTP subsystem rooted at DIR/sftproot; note that PyserSSH then sleeps
# 0.1 s in every session's setup (waiting to see whether it is SFTP), so leave it off for shell benchmarks.
# Usage: pyserssh.sh start DIR PORT | stop DIR
set -euo pipefail

usage() {
  echo "usage: $0 start DIR PORT | stop DIR" >&2
  echo "  env: PYSERSSH_SRC (checkout, default /work/pyserssh), PYSERSSH_SFTP=1 (SFTP at DIR/sftproot)," >&2
  echo "       PYSERSSH_PYTHON (default /usr/bin/python3)" >&2
  exit 2
}

here=$(cd "$(dirname "$0")" && pwd)

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

[ $# -ge 2 ] || usage
cmd=$1; dir=$2
case "$cmd" in
start)
  [ $# -eq 3 ] || usage
  port=$3
  src=${PYSERSSH_SRC:-/work/pyserssh}
  py=${PYSERSSH_PYTHON:-/usr/bin/python3}
  if [ ! -f "$src/src/PyserSSH/__init__.py" ]; then
    echo "pyserssh.sh: no PyserSSH checkout at $src (expected $src/src/PyserSSH); set PYSERSSH_SRC" >&2
    exit 1
  fi
  if ! "$py" -c 'import paramiko, psutil' 2>/dev/null; then
    echo "pyserssh.sh: $py cannot import paramiko and psutil;" \
      "install them with: apt-get install -y python3-paramiko python3-psutil" >&2
    exit 1
  fi
  if [ -f "$dir/pyserssh.pid" ] && alive "$(cat "$dir/pyserssh.pid")"; then
    echo "pyserssh.sh: already running with pid $(cat "$dir/pyserssh.pid"); stop it first" >&2
    exit 1
  fi
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  # PyserSSH loads its host key with paramiko.RSAKey, so RSA only (PEM, as its example's readme says).
  [ -f "$dir/host_rsa" ] || ssh-keygen -q -m PEM -t rsa -b 2048 -N "" -f "$dir/host_rsa"
  sftp_args=()
  if [ "${PYSERSSH_SFTP:-0}" = 1 ]; then
    mkdir -p "$dir/sftproot"
    sftp_args=(--sftp-root "$dir/sftproot")
  fi
  # The server's cwd is DIR: PyserSSH writes nothing there by default, but anything it does lands in DIR.
  (cd "$dir" && PYSERSSH_SRC="$src" exec nohup "$py" -u "$here/pyserssh_echo.py" \
      --host 127.0.0.1 --port "$port" --host-key "$dir/host_rsa" "${sftp_args[@]}" \
      > "$dir/pyserssh.log" 2>&1 < /dev/null) &
  pid=$!
  echo "$pid" > "$dir/pyserssh.pid"
  for _ in $(seq 1 100); do
    if ! alive "$pid"; then
      echo "pyserssh.sh: PyserSSH exited at startup:" >&2
      cat "$dir/pyserssh.log" >&2
      rm -f "$dir/pyserssh.pid"
      exit 1
    fi
    # (PyserSSH prints this after binding; probing the port instead would log a failed SSH session.)
    if grep -q "Server is running" "$dir/pyserssh.log"; then
      echo "pyserssh listening on 127.0.0.1:$port pid $pid (user bench/bench$([ ${#sftp_args[@]} -gt 0 ] &&
        echo ", sftp root $dir/sftproot"))"
      exit 0
    fi
    sleep 0.1
  done
  echo "pyserssh.sh: PyserSSH (pid $pid) not listening on 127.0.0.1:$port after 10s; see $dir/pyserssh.log" >&2
  exit 1
  ;;
stop)
  [ $# -eq 2 ] || usage
  stop_pidfile "$dir/pyserssh.pid"
  ;;
*)
  usage
  ;;
esac
