#!/bin/bash
# Starts Debian's vsftpd on 127.0.0.1 as an FTP/FTPS peer for the load tool, with its own config, certificate and
# log in DIR: standalone (listen=YES) in the foreground of a background job whose pid is kept in DIR/vsftpd.pid;
# password login for the local user benchftp/bench (created if missing), chrooted into the writable DIR/ftproot;
# passive ports PASV_MIN..PASV_MAX (default 30000-30100) advertised as 127.0.0.1; explicit TLS (AUTH TLS) with a
# self-signed certificate, optional so both plain FTP and FTPS work, no TLS session reuse required on data
# connections (Java's FTPSClient does not reuse sessions).
# Needs root (creates the user, vsftpd drops privileges itself). Install vsftpd with: apt-get install -y vsftpd
# Usage: vsftpd.sh start DIR PORT | stop DIR
set -euo pipefail

usage() {
  echo "usage: $0 start DIR PORT | stop DIR" >&2
  exit 2
}

ftpuser=benchftp
ftppass=bench

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

[ $# -ge 2 ] || usage
cmd=$1; dir=$2
case "$cmd" in
start)
  [ $# -eq 3 ] || usage
  port=$3
  pasv_min=${PASV_MIN:-30000}
  pasv_max=${PASV_MAX:-30100}
  if [ ! -x /usr/sbin/vsftpd ]; then
    echo "vsftpd.sh: /usr/sbin/vsftpd not found; install it with: apt-get install -y vsftpd" >&2
    exit 1
  fi
  if [ "$(id -u)" -ne 0 ]; then
    echo "vsftpd.sh: must run as root (creates user $ftpuser, vsftpd needs root to chroot)" >&2
    exit 1
  fi
  if [ -f "$dir/vsftpd.pid" ] && alive "$(cat "$dir/vsftpd.pid")"; then
    echo "vsftpd.sh: already running with pid $(cat "$dir/vsftpd.pid"); stop it first" >&2
    exit 1
  fi
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)

  # The FTP user: no login shell, password "bench". Debian's /etc/pam.d/vsftpd runs pam_shells, which refuses
  # users whose shell is not in /etc/shells, so nologin is listed there (once). vsftpd changes into the home
  # directory before local_root and refuses the login if it is missing, so the home is "/".
  if ! id "$ftpuser" >/dev/null 2>&1; then
    useradd --system --no-create-home --home-dir / --shell /usr/sbin/nologin "$ftpuser"
  fi
  [ -d "$(getent passwd "$ftpuser" | cut -d: -f6)" ] || usermod --home / "$ftpuser"
  echo "$ftpuser:$ftppass" | chpasswd
  ftpshell=$(getent passwd "$ftpuser" | cut -d: -f7)
  grep -qxF "$ftpshell" /etc/shells || echo "$ftpshell" >> /etc/shells

  mkdir -p "$dir/ftproot" "$dir/empty"
  chown "$ftpuser:" "$dir/ftproot"
  chmod 755 "$dir/ftproot"
  chown root:root "$dir/empty"
  chmod 555 "$dir/empty"

  if [ ! -f "$dir/vsftpd.pem" ] || [ ! -f "$dir/vsftpd.key" ]; then
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=127.0.0.1" \
      -keyout "$dir/vsftpd.key" -out "$dir/vsftpd.pem" 2>/dev/null
    chmod 600 "$dir/vsftpd.key"
  fi

  cat > "$dir/vsftpd.conf" <<CONF
listen=YES
listen_ipv6=NO
listen_address=127.0.0.1
listen_port=$port
background=NO
max_clients=0
max_per_ip=0
anonymous_enable=NO
local_enable=YES
write_enable=YES
local_umask=022
chroot_local_user=YES
allow_writeable_chroot=YES
local_root=$dir/ftproot
secure_chroot_dir=$dir/empty
pam_service_name=vsftpd
seccomp_sandbox=NO
connect_from_port_20=NO
port_enable=YES
pasv_enable=YES
pasv_min_port=$pasv_min
pasv_max_port=$pasv_max
pasv_address=127.0.0.1
dirmessage_enable=NO
use_localtime=YES
xferlog_enable=YES
xferlog_std_format=NO
vsftpd_log_file=$dir/vsftpd.log
ssl_enable=YES
rsa_cert_file=$dir/vsftpd.pem
rsa_private_key_file=$dir/vsftpd.key
allow_anon_ssl=NO
force_local_logins_ssl=NO
force_local_data_ssl=NO
require_ssl_reuse=NO
ssl_ciphers=HIGH
CONF

  # background=NO keeps vsftpd in the foreground, so $! is its pid.
  nohup /usr/sbin/vsftpd "$dir/vsftpd.conf" > "$dir/vsftpd.out" 2>&1 < /dev/null &
  pid=$!
  echo "$pid" > "$dir/vsftpd.pid"
  # Wait until it listens (or died).
  for _ in $(seq 1 50); do
    if ! alive "$pid"; then
      echo "vsftpd.sh: vsftpd exited at startup:" >&2
      cat "$dir/vsftpd.out" >&2
      rm -f "$dir/vsftpd.pid"
      exit 1
    fi
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "vsftpd listening on 127.0.0.1:$port pid $pid (user $ftpuser/$ftppass, root $dir/ftproot," \
        "pasv $pasv_min-$pasv_max, explicit TLS optional)"
      exit 0
    fi
    sleep 0.1
  done
  echo "vsftpd.sh: vsftpd (pid $pid) not listening on 127.0.0.1:$port after 5s" >&2
  exit 1
  ;;
stop)
  [ $# -eq 2 ] || usage
  if [ -f "$dir/vsftpd.pid" ]; then
    # Also end the live sessions: the listener's forked children (each may have a child of its own).
    kids=$(ps -o pid= --ppid "$(cat "$dir/vsftpd.pid")" 2>/dev/null || true)
    # shellcheck disable=SC2086
    stop_pidfile "$dir/vsftpd.pid" $kids
  fi
  ;;
*)
  usage
  ;;
esac
