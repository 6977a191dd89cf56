#!/bin/bash
# A transfer client that is not Java: OpenSSH's own sftp and scp, the programs people use, so that transfer figures
# do not depend on MINA's client (whose pure-Java cipher and one-request-at-a-time SCP limit the server it measures).
#
# Uploads one big file and then a directory of small files, and downloads both back, over SFTP (`sftp -b`, its
# default of 64 outstanding requests) and over SCP (`scp -O`, the SCP protocol itself; OpenSSH 9's scp would
# otherwise speak SFTP), timing each of the eight transfers from the program's start to its end (one connection
# each: connect and login are part of the figure, about 0.1 s). Everything downloaded is compared with what was
# uploaded. With --warmup-rounds N, each protocol first moves the small files up and down N times unmeasured, so that
# a Java server's compiler has compiled the per-file code before the figures are taken (a server that runs for hours
# is in that state; a fresh one spends its first thousands of files compiling). Prints one line per transfer, in
# termlet-bench.jar's format with client=openssh, so that `termlet-bench.jar report` tables them in rows of their own:
#
#   scenario=transfer protocol=sftp label=L what=big direction=upload bytes=.. files=1 seconds=.. rate=..MiB/s
#     filesPerSecond=.. ok=true cipher=default client=openssh
#
# Usage: openssh_transfer.sh --port P --identity KEY [--user bench] [--host 127.0.0.1] [--size 1g] [--files 10000]
#        [--file-size 4k] [--kex K] [--cipher C|default] [--protocols sftp,scp] [--remote-dir D] [--local-dir D]
#        [--label L] [--warmup-rounds 0]
# Exit status 1 when a transfer fails (its line then says ok=false), 2 on bad arguments.
set -uo pipefail

host=127.0.0.1; port=; user=bench; key=; size=1g; files=10000; file_size=4k; label=server
kex=curve25519-sha256@libssh.org; cipher=default; protocols=sftp,scp
remote=bench-ossh; local=${TMPDIR:-/tmp}/termlet-bench-ossh; warmup=0
while [ $# -gt 0 ]; do
  [ $# -ge 2 ] || { echo "$0: $1 needs a value" >&2; exit 2; }
  case $1 in
    --host) host=$2 ;; --port) port=$2 ;; --user) user=$2 ;; --identity) key=$2 ;; --size) size=$2 ;;
    --files) files=$2 ;; --file-size) file_size=$2 ;; --kex) kex=$2 ;; --cipher) cipher=$2 ;;
    --protocols) protocols=$2 ;; --remote-dir) remote=$2 ;; --local-dir) local=$2 ;; --label) label=$2 ;;
    --warmup-rounds) warmup=$2 ;;
    *) echo "$0: unknown option $1" >&2; exit 2 ;;
  esac
  shift 2
done
[ -n "$port" ] && [ -n "$key" ] || { echo "usage: $0 --port P --identity KEY [options]" >&2; exit 2; }
[[ $files =~ ^[0-9]+$ ]] || { echo "$0: --files needs a count" >&2; exit 2; }
[[ $warmup =~ ^[0-9]+$ ]] || { echo "$0: --warmup-rounds needs a count" >&2; exit 2; }
bytes() { # 1g, 16m, 4k, 123 -> bytes
  case $1 in
    *[gG]) echo $(( ${1%?} << 30 )) ;; *[mM]) echo $(( ${1%?} << 20 )) ;; *[kK]) echo $(( ${1%?} << 10 )) ;;
    *) echo $(( $1 )) ;;
  esac
}
big_bytes=$(bytes "$size") small_bytes=$(bytes "$file_size") || { echo "$0: bad size" >&2; exit 2; }
command -v sftp >/dev/null && command -v scp >/dev/null || { echo "$0: needs OpenSSH's sftp and scp" >&2; exit 2; }

# the data, made once and kept between runs: random bytes, so that nothing compresses
data=$local/data-$big_bytes-$files-$small_bytes
if [ ! -f "$data/.complete" ]; then
  rm -rf "$data"; mkdir -p "$data/small"
  head -c "$big_bytes" /dev/urandom > "$data/big.bin"
  head -c "$small_bytes" /dev/urandom > "$data/one"
  for ((i = 0; i < files; i++)); do printf -v name 'f%05d.bin' "$i"; cp "$data/one" "$data/small/$name"; done
  rm "$data/one"; touch "$data/.complete"
fi
back=$local/back-$$
trap 'rm -rf "$back"' EXIT

opts=(-o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR
      -o KexAlgorithms="$kex" -o IdentitiesOnly=yes -i "$key")
# --cipher default: the client's own list, as people run it (OpenSSH's puts chacha20-poly1305 first; a server may
# re-key a long transfer to another cipher the client offered); a name limits the client to that cipher
[ "$cipher" = default ] || opts+=(-o Ciphers="$cipher")
# one sftp connection running the batch on stdin; its errors go to stderr
sftp_batch() { sftp "${opts[@]}" -P "$port" -b - "$user@$host" >/dev/null; }
now() { date +%s.%N; }
status=0
report() { # protocol what direction bytes files seconds ok
  awk -v p="$1" -v l="$label" -v w="$2" -v d="$3" -v b="$4" -v f="$5" -v s="$6" -v ok="$7" -v c="$cipher" 'BEGIN {
    printf "scenario=transfer protocol=%s label=%s what=%s direction=%s bytes=%d files=%d seconds=%.2f", p, l, w, d, b, f, s
    r = s > 0 ? b / 1048576 / s : 0; n = s > 0 ? f / s : 0
    printf " rate=%.1fMiB/s filesPerSecond=%.0f ok=%s cipher=%s client=openssh\n", r, n, ok, c }'
  [ "$7" = true ] || status=1
}
timed() { # seconds of a command, or "fail"
  local t0 t1; t0=$(now)
  "$@" || { echo fail; return; }
  t1=$(now); awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }'
}
same_small() { [ "$files" = 0 ] || diff -rq "$data/small" "$1" >/dev/null; }
clean_remote() { # the directory and what is in it (sftp has no recursive remove)
  printf -- '-rm %s/big.bin\n-rm %s/small/*\n-rmdir %s/small\n-rmdir %s\n' "$remote" "$remote" "$remote" "$remote" \
    | sftp_batch 2>/dev/null
}

fresh_remote() { # an empty remote directory and an empty local one to download into
  clean_remote
  printf -- '-mkdir %s\n' "$remote" | sftp_batch || { echo "$0: cannot reach $host:$port" >&2; exit 1; }
  rm -rf "$back"; mkdir -p "$back"
}
small_up() { # protocol
  case $1 in
    sftp) sftp_batch <<< "put -r $data/small $remote" ;;
    scp) scp -O -q -r "${opts[@]}" -P "$port" "$data/small" "$user@$host:$remote" ;;
  esac
}
small_down() { # protocol
  case $1 in
    sftp) sftp_batch <<< "get -r $remote/small $back" ;;
    scp) scp -O -q -r "${opts[@]}" -P "$port" "$user@$host:$remote/small" "$back" ;;
  esac
}

for protocol in ${protocols//,/ }; do
  case $protocol in sftp|scp) ;; *) echo "$0: unknown protocol $protocol" >&2; exit 2 ;; esac
  for ((round = 0; round < warmup && files > 0; round++)); do
    fresh_remote
    if ! small_up "$protocol" || ! small_down "$protocol" || ! same_small "$back/small"; then
      echo "$0: warm-up round $((round + 1)) of $protocol failed" >&2; status=1
    fi
  done
  fresh_remote
  case $protocol in
    sftp)
      up=$(timed sftp_batch <<< "put $data/big.bin $remote/big.bin")
      down=$(timed sftp_batch <<< "get $remote/big.bin $back/big.bin")
      ;;
    scp)
      up=$(timed scp -O -q "${opts[@]}" -P "$port" "$data/big.bin" "$user@$host:$remote/big.bin")
      down=$(timed scp -O -q "${opts[@]}" -P "$port" "$user@$host:$remote/big.bin" "$back/big.bin")
      ;;
  esac
  ok=false; [ "$up" != fail ] && [ "$down" != fail ] && cmp -s "$data/big.bin" "$back/big.bin" && ok=true
  report "$protocol" big upload "$big_bytes" 1 "${up/fail/0}" $ok
  report "$protocol" big download "$big_bytes" 1 "${down/fail/0}" $ok
  [ "$files" = 0 ] && continue
  up=$(timed small_up "$protocol")
  down=$(timed small_down "$protocol")
  ok=false; [ "$up" != fail ] && [ "$down" != fail ] && same_small "$back/small" && ok=true
  report "$protocol" small upload $((small_bytes * files)) "$files" "${up/fail/0}" $ok
  report "$protocol" small download $((small_bytes * files)) "$files" "${down/fail/0}" $ok
done
clean_remote
exit $status
