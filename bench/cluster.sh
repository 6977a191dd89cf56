#!/bin/bash
# Measures a Termlet cluster on this machine: the packaged server (bin/termlet serve) as 1 and as 3 nodes behind
# HAProxy (roundrobin, PROXY protocol v2) on one PostgreSQL (accounts, shared bans and sessions) and one s3proxy
# (the files), and, as the baseline, one node without any of it (JSON accounts, local disk, clients straight to the
# node); with N=1, handshakes straight to the node as well, to tell HAProxy's share. Each row starts from nothing (new database, new bucket, new nodes) and is torn down after. Prints a table of
# key-login handshakes per second and idle sessions (heap per session, summed over the nodes).
#
#   bench/cluster.sh            # the full run (about 6 minutes on 2 cores)
#   bench/cluster.sh --quick    # short durations and fewer sessions, to check the setup (about 3 minutes)
#
# Needs, built beforehand (per module, never the reactor):
#   mvn -o -B -q package -DskipTests -Dmaven.javadoc.skip=true -pl server   # server/target/termlet-server-*.tar.gz
#   mvn -o -B -q dependency:copy@s3proxy -pl server                         # server/target/s3proxy.jar
#   mvn -o -B -q package -DskipTests -Dmaven.javadoc.skip=true -pl bench    # bench/target/termlet-bench.jar
# and Debian's haproxy (/usr/sbin/haproxy), PostgreSQL binaries (/usr/lib/postgresql/N/bin, or PG_BIN), curl 7.75+
# (it signs the request that makes the bucket) and ssh-keygen. As root, PostgreSQL runs as the user postgres.
# PostgreSQL keeps its defaults (fsync on, synchronous_commit on): a real deployment's database, not a test's.
# Environment: OUT (default /tmp/termlet-cluster-bench: results.txt, table.md, notes.txt, every process's log),
# JAVA (default java; the nodes, s3proxy and the load client), SESSIONS (idle sessions, default 3000),
# DURATION (handshake measurement, default 15s), CONCURRENCY (default 16), PG_BIN.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
quick=0
while [ $# -gt 0 ]; do
  case $1 in
    --quick) quick=1 ;;
    *) echo "usage: $0 [--quick]" >&2; exit 2 ;;
  esac
  shift
done
OUT=${OUT:-/tmp/termlet-cluster-bench}
JAVA=${JAVA:-java}
if [ $quick = 1 ]; then
  SESSIONS=${SESSIONS:-300}; DURATION=${DURATION:-5s}; WARMUP=3; HOLD=5s
else
  SESSIONS=${SESSIONS:-3000}; DURATION=${DURATION:-15s}; WARMUP=10; HOLD=10s
fi
CONCURRENCY=${CONCURRENCY:-16}
kex=curve25519-sha256@libssh.org
balancer=127.0.0.5   # the only address the nodes trust to send PROXY headers (HAProxy's source address)

jar=$repo/bench/target/termlet-bench.jar
s3jar=$repo/server/target/s3proxy.jar
archive=$(ls "$repo"/server/target/termlet-server-*.tar.gz 2>/dev/null | head -1 || true)
missing=
[ -f "$jar" ] || missing="$missing bench/target/termlet-bench.jar"
[ -f "$s3jar" ] || missing="$missing server/target/s3proxy.jar"
[ -n "$archive" ] || missing="$missing server/target/termlet-server-*.tar.gz"
if [ -n "$missing" ]; then
  echo "$0: missing$missing: build them first (see the head of this script)" >&2; exit 2
fi
haproxy=/usr/sbin/haproxy
[ -x "$haproxy" ] || haproxy=$(command -v haproxy || true)
[ -n "$haproxy" ] || { echo "$0: no haproxy (apt-get install -y haproxy)" >&2; exit 2; }
if [ -n "${PG_BIN:-}" ]; then pgbin=$PG_BIN
else pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true); fi
[ -x "$pgbin/initdb" ] || { echo "$0: no PostgreSQL binaries (set PG_BIN)" >&2; exit 2; }

ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
rm -rf "$OUT"; mkdir -p "$OUT"
chmod 755 "$OUT"
results=$OUT/results.txt; : > "$results"
log() { echo "== $*" | tee -a "$OUT/notes.txt" >&2; }
tar xzf "$archive" -C "$OUT"
home=$(ls -d "$OUT"/termlet-server-*/ | head -1); home=${home%/}
ssh-keygen -q -t ed25519 -N "" -f "$OUT/id"
log "$(date -u +%FT%TZ) $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); sessions=$SESSIONS" \
  "duration=$DURATION concurrency=$CONCURRENCY; $("$JAVA" -version 2>&1 | head -1)"

# every process this script starts, for the trap; PostgreSQL data directories to stop
pids=(); pgdirs=()
cleanup() {
  local p d
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  pids=()
  for d in "${pgdirs[@]}"; do
    [ -f "$d/data/postmaster.pid" ] && as_pg "$pgbin/pg_ctl" -D "$d/data" -m fast -w stop >/dev/null 2>&1 || true
  done
  pgdirs=()
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# as_pg COMMAND...: PostgreSQL refuses to run as root
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# free_port: a port nobody listens on (from a random start)
free_port() {
  local p=$((20000 + RANDOM % 30000))
  while listening "$p"; do p=$((p + 1)); done
  echo "$p"
}
wait_for() { # what seconds test...
  local what=$1 secs=$2; shift 2
  for _ in $(seq 1 $((secs * 5))); do "$@" && return 0; sleep 0.2; done
  log "$what: not within ${secs}s"; return 1
}
secret() { head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n'; }

# node_config FILE PORT DATA MODE [NODE PG_PORT S3_PORT]: a node's termlet.yaml; MODE alone (JSON accounts, local
# files) or cluster. The limits are raised alike in both: the defaults (20 sessions per user, 5 unauthenticated per
# address, MaxStartups 10:30:100) would refuse a benchmark's single client address long before the server is busy.
node_config() {
  local file=$1 port=$2 data=$3 mode=$4
  {
    cat <<EOF
listeners:
  - address: 127.0.0.1
    port: $port
data-dir: $data
limits:
  max-sessions: 20000
  max-sessions-per-address: 20000
  max-sessions-per-user: 20000
  max-startups: "200:30:400"
  max-unauthenticated-per-address: 200
timeouts:
  idle: 0s
web:
  enabled: false
logging:
  level: info
  levels:
    org.apache.sshd: warn
EOF
    if [ "$mode" = alone ]; then
      cat <<EOF
fileops:
  enabled: true
  ftp:
    enabled: false
EOF
    else
      cat <<EOF
accounts:
  store: postgresql
database:
  url: jdbc:postgresql://127.0.0.1:$6/postgres
  user: termlet
  password: \${env:BENCH_DB_PASSWORD}
  pool-size: 4
cluster:
  enabled: true
  node: $5
proxy-protocol:
  trusted: [$balancer]
fileops:
  enabled: true
  ftp:
    enabled: false
  storage:
    type: s3
    bucket: termlet
    endpoint: http://127.0.0.1:$7
    prefix: homes/
    access-key: \${env:BENCH_S3_ID}
    secret-key: \${env:BENCH_S3_SECRET}
    path-style: true
EOF
    fi
  } > "$file"
}

# start_node LABEL CONFIG: runs bin/termlet serve in the background and waits for it to serve; sets NODE_PID
start_node() {
  local label=$1 config=$2
  TERMLET_CONFIG=$config JAVA=$JAVA "$home/bin/termlet" serve --metrics 127.0.0.1:0 > "$OUT/$label.log" 2>&1 &
  NODE_PID=$!; pids+=("$NODE_PID")
  for _ in $(seq 1 600); do
    grep -q "termlet serving SSH on" "$OUT/$label.log" && return 0
    kill -0 "$NODE_PID" 2>/dev/null || break
    sleep 0.2
  done
  log "$label did not start; see $OUT/$label.log"; tail -20 "$OUT/$label.log" >&2; return 1
}

# add_user CONFIG: the account bench (a password nobody uses, and the key the load logs in with)
add_user() {
  printf 'unused-%s\n' "$(secret)" | TERMLET_CONFIG=$1 JAVA=$JAVA "$home/bin/termlet" accounts add bench \
    --password-stdin >> "$OUT/accounts.log" 2>&1
  TERMLET_CONFIG=$1 JAVA=$JAVA "$home/bin/termlet" accounts add-key bench "$OUT/id.pub" >> "$OUT/accounts.log" 2>&1
}

client() { "$JAVA" -Xmx4g -jar "$jar" "$@" 2>>"$OUT/client.log"; }

# measure LABEL PORT PID...: handshakes, then idle sessions. First a warm-up whose figure is dropped: WARMUP seconds
# per node, so that each node's JIT has seen as many handshakes as the lone node's.
measure() {
  local label=$1 port=$2; shift 2
  local warmup=$((WARMUP * $#))s
  local pidargs=() p
  for p in "$@"; do pidargs+=(--server-pid "$p"); done
  local login=(--port "$port" --user bench --identity "$OUT/id" --kex "$kex" --prompt '> ')
  log "$label: warm-up $warmup, then handshakes $DURATION at concurrency $CONCURRENCY (load $(cut -d' ' -f1 /proc/loadavg))"
  client load handshake "${login[@]}" --concurrency "$CONCURRENCY" --duration "$warmup" --label "$label" \
    >> "$OUT/warmup.txt"
  client load handshake "${login[@]}" --concurrency "$CONCURRENCY" --duration "$DURATION" --label "$label" \
    | tee -a "$results"
  log "$label: $SESSIONS idle sessions (load $(cut -d' ' -f1 /proc/loadavg))"
  client load idle "${login[@]}" --sessions "$SESSIONS" --hold "$HOLD" "${pidargs[@]}" --label "$label" \
    | tee -a "$results"
  echo "loadavg label=$label $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/notes.txt"
}

baseline() {
  local port; port=$(free_port)
  log "baseline: one node, JSON accounts, local disk, no balancer, port $port"
  node_config "$OUT/alone.yaml" "$port" "$OUT/alone" alone
  add_user "$OUT/alone.yaml"
  start_node alone "$OUT/alone.yaml"
  measure baseline "$port" "$NODE_PID"
  cleanup
}

# cluster N: PostgreSQL, s3proxy, N nodes, HAProxy; measured through HAProxy
cluster() {
  local n=$1 label=cluster-$1 i
  local dir=$OUT/$label; mkdir -p "$dir"
  # PostgreSQL: a new cluster with a password login on 127.0.0.1
  local pgdir=$dir/pg pgport; pgport=$(free_port)
  export BENCH_DB_PASSWORD; BENCH_DB_PASSWORD=$(secret)
  mkdir -p "$pgdir/socket"; printf '%s' "$BENCH_DB_PASSWORD" > "$pgdir/pw"
  [ "$(id -u)" = 0 ] && chown -R postgres: "$pgdir"
  (cd "$pgdir" && as_pg "$pgbin/initdb" -D "$pgdir/data" -U termlet --auth=scram-sha-256 --pwfile="$pgdir/pw" \
    -E UTF8 --locale=C.UTF-8) > "$dir/initdb.log" 2>&1
  rm -f "$pgdir/pw"
  pgdirs+=("$pgdir")
  (cd "$pgdir" && as_pg "$pgbin/pg_ctl" -D "$pgdir/data" -l "$pgdir/log" -w -t 60 \
    -o "-p $pgport -h 127.0.0.1 -k $pgdir/socket -c max_connections=100" start) > "$dir/pg_ctl.log" 2>&1
  local settings
  settings=$(cd "$pgdir" && as_pg env PGPASSWORD="$BENCH_DB_PASSWORD" "$pgbin/psql" -X -A -t -F= -h 127.0.0.1 \
    -p "$pgport" -U termlet -d postgres -c "select name, setting from pg_settings where name in
    ('fsync', 'synchronous_commit', 'full_page_writes', 'shared_buffers') order by name" | tr '\n' ' ')
  log "$label: PostgreSQL $("$pgbin/postgres" --version | grep -o '[0-9][0-9.]*' | head -1) on $pgport: $settings"
  # s3proxy: a transient (in-memory) store, and the bucket made by a signed PUT
  local s3port; s3port=$(free_port)
  export BENCH_S3_ID=termlet-bench BENCH_S3_SECRET; BENCH_S3_SECRET=$(secret)
  cat > "$dir/s3proxy.properties" <<EOF
s3proxy.endpoint=http://127.0.0.1:$s3port
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$BENCH_S3_ID
s3proxy.credential=$BENCH_S3_SECRET
jclouds.provider=transient
jclouds.identity=$BENCH_S3_ID
jclouds.credential=$BENCH_S3_SECRET
EOF
  "$JAVA" -jar "$s3jar" --properties "$dir/s3proxy.properties" > "$dir/s3proxy.log" 2>&1 &
  pids+=($!)
  make_bucket() {
    # the SHA-256 of the empty body, which SigV4 for S3 signs
    curl -sf -o /dev/null -X PUT -H 'Content-Length: 0' \
      -H 'x-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' \
      --user "$BENCH_S3_ID:$BENCH_S3_SECRET" --aws-sigv4 "aws:amz:us-east-1:s3" "http://127.0.0.1:$s3port/termlet"
  }
  wait_for "s3proxy makes the bucket" 90 make_bucket
  # the nodes
  local ports=() nodepids=() servers=
  for i in $(seq 1 "$n"); do
    ports+=("$(free_port)")
    node_config "$dir/n$i.yaml" "${ports[-1]}" "$dir/n$i" cluster "n$i" "$pgport" "$s3port"
    # one port per node, taken before the next is picked
    servers="$servers    server n$i 127.0.0.1:${ports[-1]} send-proxy-v2 source $balancer"$'\n'
    if [ "$i" = 1 ]; then add_user "$dir/n1.yaml"; fi
    start_node "$label-n$i" "$dir/n$i.yaml"
    nodepids+=("$NODE_PID")
  done
  # HAProxy in front
  local lbport; lbport=$(free_port)
  cat > "$dir/haproxy.cfg" <<EOF
global
    maxconn 8000
defaults
    mode tcp
    maxconn 8000
    timeout connect 5s
    timeout client 30m
    timeout server 30m
frontend ssh
    bind 127.0.0.1:$lbport
    default_backend nodes
backend nodes
    balance roundrobin
$servers
EOF
  "$haproxy" -db -f "$dir/haproxy.cfg" > "$dir/haproxy.log" 2>&1 &
  pids+=($!)
  wait_for "haproxy listens on $lbport" 20 listening "$lbport"
  log "$label: $n node(s) (pids ${nodepids[*]}) behind HAProxy on $lbport"
  # the sessions the nodes share, as the database holds them, once a second while the load runs
  (while :; do
     (cd "$pgdir" && as_pg env PGPASSWORD="$BENCH_DB_PASSWORD" "$pgbin/psql" -X -A -t -h 127.0.0.1 -p "$pgport" \
       -U termlet -d postgres -c 'select count(*) from termlet_sessions' 2>/dev/null) || true
     sleep 1
   done > "$dir/session-rows.txt") &
  local sampler=$!; pids+=("$sampler")
  measure "$label" "$lbport" "${nodepids[@]}"
  if [ "$n" = 1 ]; then
    # the same node without the balancer (the node takes connections without a PROXY header from any address it
    # does not trust), to tell HAProxy's share of the cost from the database's and the cluster's
    log "$label: handshakes $DURATION straight to the node, without HAProxy"
    client load handshake --port "${ports[0]}" --user bench --identity "$OUT/id" --kex "$kex" --prompt '> ' \
      --concurrency "$CONCURRENCY" --duration "$DURATION" --label "$label-direct" | tee -a "$results"
  fi
  kill "$sampler" 2>/dev/null || true
  echo "sessions label=$label most rows in termlet_sessions: $(sort -n "$dir/session-rows.txt" | tail -1)" \
    | tee -a "$OUT/notes.txt"
  # the sessions really went through the balancer to every node, and each node saw the client's address
  for i in $(seq 1 "$n"); do
    echo "logins label=$label node=n$i from the client: $(grep -c 'user bench authenticated from 127.0.0.1:' \
      "$OUT/$label-n$i.log" || true), from the balancer's address: $(grep -c "authenticated from $balancer:" \
      "$OUT/$label-n$i.log" || true)" | tee -a "$OUT/notes.txt"
  done
  cleanup
}

baseline
cluster 1
cluster 3

# the table, from results.txt
awk -v cores="$(nproc)" -v quick=$quick '
  function get(line, key,   i, n, parts, kv) {
    n = split(line, parts, " ")
    for (i = 1; i <= n; i++) { split(parts[i], kv, "="); if (kv[1] == key) return kv[2] }
    return ""
  }
  /^scenario=handshake/ { l = get($0, "label"); rate[l] = get($0, "rate") + 0; failed[l] = get($0, "failed") }
  /^scenario=idle/ {
    l = get($0, "label"); opened[l] = get($0, "opened"); asked[l] = get($0, "sessions")
    hps[l] = get($0, "heapPerSession") + 0; hw[l] = get($0, "heapWith") + 0; rw[l] = get($0, "rssWith") + 0
    servers[l] = get($0, "servers")
  }
  END {
    rows = split("baseline cluster-1-direct cluster-1 cluster-3", order, " ")
    name["baseline"] = "1 node alone (JSON, local disk, direct)"
    name["cluster-1-direct"] = "N=1 without HAProxy (PostgreSQL, s3proxy, straight to the node)"
    name["cluster-1"] = "N=1 (HAProxy, PROXY v2, PostgreSQL, s3proxy)"
    name["cluster-3"] = "N=3 (HAProxy, PROXY v2, PostgreSQL, s3proxy)"
    printf "| setup | handshakes/s | ratio to N=1 | failed | idle sessions held | heap per idle session | heap with them (all nodes) | RSS with them (all nodes) |\n"
    printf "|---|---:|---:|---:|---:|---:|---:|---:|\n"
    for (i = 1; i <= rows; i++) {
      l = order[i]
      if (!(l in rate)) continue
      ratio = rate["cluster-1"] > 0 ? sprintf("%.2f", rate[l] / rate["cluster-1"]) : "-"
      if (l in opened)
        printf "| %s | %.1f | %s | %s | %s of %s | %.1f KiB | %.0f MiB | %.0f MiB |\n", name[l], rate[l], ratio,
          failed[l], opened[l], asked[l], hps[l], hw[l] / 1024, rw[l] / 1024
      else
        printf "| %s | %.1f | %s | %s | - | - | - | - |\n", name[l], rate[l], ratio, failed[l]
    }
    printf "\n%d cores; all on one machine (nodes, HAProxy, PostgreSQL, s3proxy and the load client share them)%s.\n",
      cores, quick ? "; --quick run" : ""
  }' "$results" | tee "$OUT/table.md"
grep -E '^(loadavg|sessions|logins)' "$OUT/notes.txt" | sed 's/^/  /' | tee -a "$OUT/table.md"
