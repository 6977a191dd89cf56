#!/bin/sh
# Starts Debian's OpenSSH sshd on 127.0.0.1 as a peer for the load tool, with its own config and host key in DIR:
# key login for the current user with AUTHORIZED_KEYS, a forced command that prints "$ " and lets the pty echo
# (the line discipline echoes each key, as a shell's does), internal-sftp for transfers.
# Usage: openssh.sh start DIR PORT AUTHORIZED_KEYS | stop DIR
set -eu
cmd=$1; dir=$2
case "$cmd" in
start)
  port=$3; keys=$4
  mkdir -p "$dir"
  [ -f "$dir/host_ed25519" ] || ssh-keygen -q -t ed25519 -N "" -f "$dir/host_ed25519"
  cp "$keys" "$dir/authorized_keys"; chmod 600 "$dir/authorized_keys"
  cat > "$dir/echo.sh" <<'SH'
#!/bin/sh
printf '$ '
exec cat > /dev/null
SH
  chmod 755 "$dir/echo.sh"
  cat > "$dir/sshd_config" <<CONF
Port $port
ListenAddress 127.0.0.1
HostKey $dir/host_ed25519
PidFile $dir/sshd.pid
AuthorizedKeysFile $dir/authorized_keys
PermitRootLogin yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
MaxStartups 1000:100:1000
MaxSessions 10
ForceCommand $dir/echo.sh
Subsystem sftp internal-sftp
LogLevel ERROR
CONF
  mkdir -p /run/sshd
  /usr/sbin/sshd -f "$dir/sshd_config"
  echo "openssh listening on 127.0.0.1:$port pid $(cat "$dir/sshd.pid")"
  ;;
stop)
  [ -f "$dir/sshd.pid" ] && kill "$(cat "$dir/sshd.pid")" || true
  ;;
esac
