#!/bin/sh
# Starts Debian's OpenSSH sshd on 127.0.0.1 as a peer for the load tool, with its own config and host key in DIR:
# key login for the current user with AUTHORIZED_KEYS, a forced command that prints "$ " (again after each line) and
# lets the pty echo
# (the line discipline echoes each key, as a shell's does) on PORT, and on FILE_PORT (default PORT+1) no forced
# command, so that internal-sftp and scp serve transfers (a forced command would replace them).
# Logins: the system user "bench" with the password "bench" (created if missing, home /home/bench; needs root),
# and any user with a key in AUTHORIZED_KEYS.
# Usage: openssh.sh start DIR PORT AUTHORIZED_KEYS [FILE_PORT] | stop DIR
set -eu
cmd=$1; dir=$2
case "$cmd" in
start)
  port=$3; keys=$4; fileport=${5:-$((port + 1))}
  mkdir -p "$dir"
  if ! id bench >/dev/null 2>&1; then
    useradd -m -s /bin/sh bench
    echo 'bench:bench' | chpasswd
  fi
  [ -f "$dir/host_ed25519" ] || ssh-keygen -q -t ed25519 -N "" -f "$dir/host_ed25519"
  cp "$keys" "$dir/authorized_keys"; chmod 644 "$dir/authorized_keys"  # read as the user logging in
  cat > "$dir/echo.sh" <<'SH'
#!/bin/sh
printf '$ '
# the pty echoes each key (as a shell's line discipline does); each line gets a new prompt
while IFS= read -r line; do printf '$ '; done
SH
  chmod 755 "$dir/echo.sh"
  cat > "$dir/sshd_config" <<CONF
Port $port
Port $fileport
ListenAddress 127.0.0.1
HostKey $dir/host_ed25519
PidFile $dir/sshd.pid
AuthorizedKeysFile $dir/authorized_keys
PermitRootLogin yes
PasswordAuthentication yes
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
MaxStartups 1000:100:1000
MaxSessions 10
Subsystem sftp internal-sftp
LogLevel ERROR
Match LocalPort $port
  ForceCommand $dir/echo.sh
CONF
  mkdir -p /run/sshd
  rm -f "$dir/sshd.pid"
  /usr/sbin/sshd -f "$dir/sshd_config"
  # sshd writes its pid file a moment after the command returns
  for _ in $(seq 1 50); do [ -s "$dir/sshd.pid" ] && break; sleep 0.1; done
  echo "openssh listening on 127.0.0.1:$port (echo) and :$fileport (files) pid $(cat "$dir/sshd.pid")"
  ;;
stop)
  [ -f "$dir/sshd.pid" ] && kill "$(cat "$dir/sshd.pid")" || true
  ;;
esac
