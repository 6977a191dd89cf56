#!/bin/bash
# Runs every benchmark scenario against Termlet (Java 17, and Java 21+ when available) and its peers on this
# machine, one server at a time on loopback, and prints the results table. One command:
#
#   bench/run-all.sh            # the full run (well over an hour on 2 cores)
#   bench/run-all.sh --runs 3   # every timed scenario three times, each on a fresh server: the table shows
#                               # medians with the lowest and highest run beside them
#   bench/run-all.sh --quick    # short durations and sizes, to check the setup (about 6 minutes; CI runs it)
#   bench/run-all.sh --scenarios asyncssh,idle   # only those kinds of scenario (idle, asyncssh, handshake,
#                                                # echo, transfer (SFTP, SCP, with MINA's client and with
#                                                # OpenSSH's), openssh-transfer (with OpenSSH's client only),
#                                                # ftp; default: all)
#   bench/run-all.sh --only openssh,vsftpd   # re-runs those servers only, replacing their lines in an
#                                            # earlier run's results (labels: termlet-j17 termlet-j25
#                                            # termlet-nosync mina mina-argon2 openssh vsftpd pyserssh;
#                                            # termlet-nosync: transfers with FileOps.syncUploads(false))
#
# Peers (each skipped, with a note, when missing):
#   bare MINA SSHD   built in (termlet-bench.jar serve mina)
#   OpenSSH sshd     apt-get install -y openssh-server          (bench/peers/openssh.sh; creates user bench)
#   vsftpd           apt-get install -y vsftpd                  (bench/peers/vsftpd.sh; creates user benchftp)
#   PyserSSH         a checkout of github.com/DPSoftware-Foundation/PyserSSH in $PYSERSSH_SRC (default
#                    /work/pyserssh) and apt-get install -y python3-paramiko python3-psutil
# Needs root for the system users the OpenSSH and vsftpd peers log in as. Writes everything under $OUT
# (default /tmp/termlet-bench-run): results.txt (one key=value line per figure), table.md, and server logs.
# Python's asyncssh (apt-get install -y python3-asyncssh) is a second load client, not written in Java
# (bench/clients/asyncssh_load.py: one session's keystroke echo, password logins at concurrency 20, and keystrokes
# while those logins run); its scenarios are skipped, with a note, when it is missing. OpenSSH's own sftp and scp
# (apt-get install -y openssh-client) are a second transfer client (bench/clients/openssh_transfer.sh: rows marked
# "openssh client"), skipped with a note when missing; each protocol first moves the small files up and down OWARM
# times unmeasured (default 1; 0 with --quick), so that those rows measure a server whose compiler is done.
# Servers and clients are pinned to separate processors with taskset: the client to CLIENT_CPUS (default 0), each
# server with its children to SERVER_CPUS (default: the others); PIN=0 leaves them unpinned. Timings are reported,
# never checked: a run fails only when a server does not start or a scenario cannot run.
# Environment: JAVA17 (default: java on PATH), JAVA21 (default: the Temurin 25 JDK if present; "none" skips),
# OUT, PYSERSSH_SRC, PIN, CLIENT_CPUS, SERVER_CPUS, CONC (password handshake concurrencies), AKEYS and AWARM
# (keys typed and warm-up keys per asyncssh session), OWARM (warm-up rounds of the OpenSSH-client small files).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
quick=0; only=; runs=1; scenarios=,idle,asyncssh,handshake,echo,transfer,ftp,
while [ $# -gt 0 ]; do
  case $1 in
    --quick) quick=1 ;;
    --scenarios)
      [ $# -ge 2 ] || { echo "$0: --scenarios needs a list" >&2; exit 2; }
      for k in ${2//,/ }; do
        case $k in idle|asyncssh|handshake|echo|transfer|openssh-transfer|ftp) ;;
          *) echo "$0: unknown scenario kind $k (idle asyncssh handshake echo transfer openssh-transfer ftp)" >&2
             exit 2 ;;
        esac
      done
      scenarios=,$2,; shift ;;
    --runs)
      [[ ${2:-} =~ ^[1-9][0-9]*$ ]] || { echo "$0: --runs needs a count" >&2; exit 2; }
      runs=$2; shift ;;
    --only)
      [ $# -ge 2 ] || { echo "$0: --only needs a list of labels" >&2; exit 2; }
      for label in ${2//,/ }; do
        case $label in
          termlet-j17|termlet-j25|termlet-nosync|mina|mina-argon2|openssh|vsftpd|pyserssh) ;;
          *) echo "$0: unknown label $label (termlet-j17 termlet-j25 termlet-nosync mina mina-argon2 openssh vsftpd" \
               "pyserssh)" >&2
             exit 2 ;;
        esac
      done
      only=,$2,; shift ;;
    *) echo "usage: $0 [--quick] [--runs N] [--only label,label...] [--scenarios kind,kind...]" >&2; exit 2 ;;
  esac
  shift
done
# wanted LABEL: whether this run measures LABEL; has KIND: whether it runs that kind of scenario
wanted() { [ -z "$only" ] || [[ $only == *",$1,"* ]]; }
has() { [[ $scenarios == *",$1,"* ]]; }
OUT=${OUT:-/tmp/termlet-bench-run}
JAVA17=${JAVA17:-java}
JAVA21=${JAVA21:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
[ -x "$JAVA21" ] || JAVA21=none
jar=$repo/bench/target/termlet-bench.jar

if [ $quick = 1 ]; then
  DUR=3s; ECHO_DUR=5s; MANY=100; IDLE=200; IDLE_MAX=500; BIG=16m; FILES=100; FTPS_FILES=10; CONC="1 16"
  AKEYS=100; AWARM=200; OWARM=0
else
  DUR=15s; ECHO_DUR=20s; MANY=2000; IDLE=2000; IDLE_MAX=10000; BIG=1g; FILES=10000; FTPS_FILES=1000
  CONC=${CONC:-"1 16 64"}; AKEYS=${AKEYS:-1000}; AWARM=${AWARM:-2000}
  OWARM=${OWARM:-1}  # OpenSSH-client transfers: unmeasured rounds of the small files first (JIT warm-up)
fi
ADUR=${DUR%s}

# pinning: the client on CLIENT_CPUS, servers on SERVER_CPUS (with two or more processors)
cpus=$(nproc)
if [ "${PIN:-1}" = 1 ] && [ "$cpus" -ge 2 ] && command -v taskset >/dev/null 2>&1; then
  CLIENT_CPUS=${CLIENT_CPUS:-0}; SERVER_CPUS=${SERVER_CPUS:-1-$((cpus - 1))}
  on_client=(taskset -c "$CLIENT_CPUS"); on_server=(taskset -c "$SERVER_CPUS")  # taskset execs: same pid
else
  on_client=(); on_server=()
fi
asyncssh=0
/usr/bin/python3 -c 'import asyncssh' >/dev/null 2>&1 && asyncssh=1
ossh=0
command -v sftp >/dev/null 2>&1 && command -v scp >/dev/null 2>&1 && ossh=1

[ -f "$jar" ] || (cd "$repo" && mvn -B -q package -DskipTests)
ulimit -n 65536 2>/dev/null || true
results=$OUT/results.txt
if [ -z "$only" ] || [ ! -f "$results" ]; then
  rm -rf "$OUT"; mkdir -p "$OUT"; : > "$results"
else # keep the other servers' figures; drop the lines of the servers measured again
  for label in ${only//,/ }; do sed -i "/ label=$label /d" "$results"; done
fi
rm -f "$OUT/failures.txt"
[ -f "$OUT/id" ] || ssh-keygen -q -t ed25519 -N "" -f "$OUT/id"
# curve25519 under its older name, which every peer accepts (paramiko 2.12, under PyserSSH, lacks the newer one)
kex=curve25519-sha256@libssh.org

log() { echo "== $*" | tee -a "$OUT/notes.txt" >&2; }
# load/transfer with the client on Java 17 and room for 10,000 sessions; result lines go to results.txt
# A scenario that cannot run (the client fails, or nothing was opened or moved) is noted in failures.txt and makes the
# run exit 1 at the end, after the table; slow figures never do.
failed() { echo "$*" >> "$OUT/failures.txt"; log "FAILED: $*"; }
checked() { # label-for-failures command...: runs a client, appends its result lines, notes a failure
  local what=$1 out; shift
  if ! out=$("$@" 2>>"$OUT/client.log"); then failed "$what (exit status)"; fi
  [ -n "$out" ] || { failed "$what (no result)"; return 0; }
  printf '%s\n' "$out" | tee -a "$results"
  case " $out " in
    *" ok=false "*|*" opened=0 "*|*" sessions=0 "*|*" keys=0 "*) failed "$what: $out" ;;
  esac
}
client() { checked "$*" "${on_client[@]}" "$JAVA17" -Xmx8g -jar "$jar" "$@"; }
# the asyncssh client (Python); its result lines go to results.txt too
pyclient() { checked "asyncssh $*" "${on_client[@]}" /usr/bin/python3 "$here/clients/asyncssh_load.py" "$@"; }
# OpenSSH's sftp and scp as the transfer client
oclient() { checked "openssh client $*" "${on_client[@]}" "$here/clients/openssh_transfer.sh" "$@"; }
otransfers() { # label user (--quick: Termlet on Java 17 only, which checks the client works)
  [ $ossh = 1 ] || return 0
  [ $quick = 1 ] && [ "$1" != termlet-j17 ] && return 0
  oclient --port "$FPORT" --user "$2" --identity "$OUT/id" --kex $kex --size $BIG --files $FILES --label "$1" \
    --warmup-rounds $OWARM
}

pid=
start_java() { # label java port [serve options...]
  local label=$1 java=$2 port=$3; shift 3
  "${on_server[@]}" "$java" -jar "$jar" serve "$@" --port "$port" --data "$OUT/$label" --authorized-keys "$OUT/id.pub" \
    > "$OUT/$label.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 100); do
    grep -q "listening on" "$OUT/$label.log" 2>/dev/null && return 0
    sleep 0.2
  done
  failed "$label did not start; see $OUT/$label.log"; return 1
}
stop_java() { [ -z "$pid" ] || { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; pid=; }; }
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_free() { for _ in $(seq 1 100); do listening "$1" || return 0; sleep 0.2; done; }

# up LABEL: starts a fresh server and sets PORT (sessions), FPORT (SFTP/SCP, empty if none), SPID (for memory).
up() {
  case $1 in
    termlet-j17) start_java "$1" "$JAVA17" 2300 termlet --ftp-port 2310 --ftp-plain; PORT=2300; FPORT=2300 ;;
    termlet-j25) start_java "$1" "$JAVA21" 2320 termlet; PORT=2320; FPORT=2320 ;;
    # bare MINA with TCP_NODELAY, as Termlet and OpenSSH set it: without it, MINA's replies wait for the client's
    # delayed acknowledgements and its handshakes measure those waits
    # Termlet with uploads left to the kernel's write-back (FileOps.syncUploads(false)), as OpenSSH's are
    termlet-nosync) start_java "$1" "$JAVA17" 2308 termlet --no-sync-uploads; PORT=2308; FPORT=2308 ;;
    mina) start_java "$1" "$JAVA17" 2301 mina --tcp-nodelay; PORT=2301; FPORT=2301 ;;
    mina-argon2) start_java "$1" "$JAVA17" 2307 mina --tcp-nodelay --hash-passwords; PORT=2307; FPORT= ;;
    openssh) "${on_server[@]}" "$here/peers/openssh.sh" start "$OUT/openssh" 2302 "$OUT/id.pub" 2303 >&2
      pid=; PORT=2302; FPORT=2303 ;;
    pyserssh) "${on_server[@]}" "$here/peers/pyserssh.sh" start "$OUT/pyserssh" 2304 >&2; pid=; PORT=2304; FPORT= ;;
  esac
  case $1 in
    openssh) SPID=$(cat "$OUT/openssh/sshd.pid") ;;
    pyserssh) SPID=$(cat "$OUT/pyserssh/pyserssh.pid") ;;
    *) SPID=$pid ;;
  esac
}
down() {
  case $1 in
    openssh) "$here/peers/openssh.sh" stop "$OUT/openssh" ;;
    pyserssh) "$here/peers/pyserssh.sh" stop "$OUT/pyserssh" ;;
    *) stop_java ;;
  esac
  wait_free "$PORT"
}
trap 'stop_java; "$here/peers/openssh.sh" stop "$OUT/openssh" 2>/dev/null || true;
      "$here/peers/vsftpd.sh" stop "$OUT/vsftpd" 2>/dev/null || true;
      "$here/peers/pyserssh.sh" stop "$OUT/pyserssh" 2>/dev/null || true;
      "$here/peers/pyserssh.sh" stop "$OUT/pyserssh-sftp" 2>/dev/null || true' EXIT

# Every SSH scenario for one server: idle runs first, each on a fresh server (so that memory before is a
# fresh server's), then, RUNS times on a fresh server each, handshakes, echo (both clients) and transfers.
ssh_scenarios() { # label user "idle counts"
  local label=$1 user=$2 n r
  local key=(--identity "$OUT/id")
  [ "$label" = pyserssh ] && key=()  # its example logs in with a password only
  has idle || set --  "$1" "$2" ""
  for n in $3; do
    log "$label: idle $n"
    up "$label"
    client load idle --port "$PORT" --user "$user" --kex $kex "${key[@]}" --sessions "$n" \
      --server-pid "$SPID" --label "$label"
    down "$label"
  done
  for r in $(seq 1 "$runs"); do
    [ "$runs" = 1 ] || log "$label: run $r of $runs"
    timed_scenarios "$label" "$user"
  done
}

timed_scenarios() { # label user
  local label=$1 user=$2 c
  up "$label"
  if [ $asyncssh = 1 ] && has asyncssh; then
    log "$label: asyncssh (one session's keystrokes; password logins; keystrokes while they run)"
    pyclient echo --port "$PORT" --user "$user" --password bench --keys $AKEYS --warmup-keys $AWARM \
      --label "$label"
    pyclient logins --port "$PORT" --user "$user" --password bench --concurrency 20 --duration "$ADUR" \
      --label "$label"
    pyclient mixed --port "$PORT" --user "$user" --password bench --concurrency 20 --keys $AKEYS \
      --label "$label"
  fi
  if has handshake; then
    log "$label: handshakes"
    for c in $CONC; do
      client load handshake --port "$PORT" --user "$user" --kex $kex --concurrency "$c" --duration $DUR \
        --server-pid "$SPID" --label "$label"
    done
    if [ "$label" != pyserssh ]; then
      client load handshake --port "$PORT" --user "$user" --kex $kex --identity "$OUT/id" --concurrency 16 \
        --duration $DUR --server-pid "$SPID" --label "$label"
    fi
  fi
  if has echo; then
    log "$label: echo"
    client load echo --port "$PORT" --user "$user" --kex $kex --sessions 200 --duration $ECHO_DUR --label "$label"
    if [ "$label" != pyserssh ]; then
      client load echo --port "$PORT" --user "$user" --kex $kex --identity "$OUT/id" --sessions $MANY \
        --duration $ECHO_DUR --label "$label"
    fi
  fi
  if [ -n "$FPORT" ] && has transfer; then
    log "$label: transfers"
    client transfer sftp --port "$FPORT" --user "$user" --kex $kex --size $BIG --files $FILES --label "$label"
    client transfer scp --port "$FPORT" --user "$user" --kex $kex --size $BIG --files $FILES --label "$label"
  fi
  if [ -n "$FPORT" ] && { has transfer || has openssh-transfer; }; then
    log "$label: transfers with OpenSSH's sftp and scp"
    otransfers "$label" "$user"
  fi
  if [ "$label" = termlet-j17 ] && has ftp; then
    log "$label: ftp"
    client transfer ftp --port 2310 --size $BIG --files $FTPS_FILES --label "$label"
    client transfer ftp --no-tls --port 2310 --size $BIG --files $FILES --label "$label"
  fi
  down "$label"
}

[ $ossh = 1 ] || log "no sftp and scp (apt-get install -y openssh-client): the OpenSSH-client transfers skipped"
[ $asyncssh = 1 ] || log "no asyncssh for /usr/bin/python3 (apt-get install -y python3-asyncssh): its scenarios skipped"
wanted termlet-j17 && ssh_scenarios termlet-j17 bench "$IDLE $IDLE_MAX"
if [ "$JAVA21" = none ]; then
  log "no Java 21+ JDK: Termlet measured on Java 17 only"
elif wanted termlet-j25; then
  ssh_scenarios termlet-j25 bench "$IDLE $IDLE_MAX"
fi
if wanted termlet-nosync && { has transfer || has openssh-transfer; }; then
  for r in $(seq 1 "$runs"); do
    log "termlet-nosync: SFTP and SCP transfers with uploads not forced to disk (run $r of $runs)"
    up termlet-nosync
    if has transfer; then
      client transfer sftp --port "$FPORT" --user bench --kex $kex --size $BIG --files $FILES --label termlet-nosync
      client transfer scp --port "$FPORT" --user bench --kex $kex --size $BIG --files $FILES --label termlet-nosync
    fi
    otransfers termlet-nosync bench
    down termlet-nosync
  done
fi
wanted mina && ssh_scenarios mina bench "$IDLE"

if wanted mina-argon2 && has handshake; then
  log "mina-argon2: password handshakes with Termlet's password hashing"
  for r in $(seq 1 "$runs"); do
    up mina-argon2
    for c in $CONC; do
      client load handshake --port "$PORT" --kex $kex --concurrency "$c" --duration $DUR --server-pid "$SPID" \
        --label mina-argon2
    done
    down mina-argon2
  done
fi

if ! wanted openssh; then :
elif [ -x /usr/sbin/sshd ]; then
  ssh_scenarios openssh bench "$IDLE"
else
  log "no /usr/sbin/sshd (apt-get install -y openssh-server): OpenSSH skipped"
fi

if ! wanted vsftpd || ! has ftp; then :
elif [ -x /usr/sbin/vsftpd ]; then
  "${on_server[@]}" "$here/peers/vsftpd.sh" start "$OUT/vsftpd" 2305 >&2
  log "vsftpd: ftp"
  client transfer ftp --port 2305 --user benchftp --size $BIG --files $FTPS_FILES --label vsftpd
  client transfer ftp --no-tls --port 2305 --user benchftp --size $BIG --files $FILES --label vsftpd
  "$here/peers/vsftpd.sh" stop "$OUT/vsftpd"
else
  log "no /usr/sbin/vsftpd (apt-get install -y vsftpd): vsftpd skipped"
fi

if ! wanted pyserssh; then :
elif PYSERSSH_SRC=${PYSERSSH_SRC:-/work/pyserssh} "$here/peers/pyserssh.sh" start "$OUT/pyserssh" 2304 >/dev/null; then
  "$here/peers/pyserssh.sh" stop "$OUT/pyserssh"
  wait_free 2304
  ssh_scenarios pyserssh bench "$IDLE"
  if has transfer && PYSERSSH_SFTP=1 "${on_server[@]}" "$here/peers/pyserssh.sh" start "$OUT/pyserssh-sftp" 2306 >&2; then
    log "pyserssh: sftp"
    client transfer sftp --port 2306 --kex $kex --size $BIG --files $FILES --remote-dir /bench-transfer \
      --label pyserssh
    "$here/peers/pyserssh.sh" stop "$OUT/pyserssh-sftp"
  fi
else
  log "PyserSSH skipped (see the message above)"
fi

"$JAVA17" -jar "$jar" report "$results" --servers termlet-j17,termlet-j25,termlet-nosync,mina,mina-argon2,openssh,pyserssh,vsftpd \
  | tee "$OUT/table.md"
if [ -s "$OUT/failures.txt" ]; then
  echo "$(wc -l < "$OUT/failures.txt") scenario(s) could not run:" >&2
  cat "$OUT/failures.txt" >&2
  exit 1
fi
