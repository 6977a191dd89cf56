#!/usr/bin/env bash
# Throughput of the web side on loopback: WebDAV PUT and GET with curl over HTTPS, HTTP/1.1 and HTTP/2, three runs each.
set -euo pipefail
# usage: bench/web-throughput.sh [termlet-demos.jar] (build it first: mvn -B -q package -DskipTests)
JAR=${1:-demo-apps/target/termlet-demos.jar}
D=$(mktemp -d)
head -c $((256*1024*1024)) /dev/urandom > $D/big
java -jar "$JAR" files --port 0 --ftp-port -1 --https-port 0 --data $D/data --user alice:secret > $D/out 2>&1 &
PID=$!
trap 'kill $PID; rm -rf $D' EXIT
for i in $(seq 60); do grep -q 'HTTPS on' $D/out && break; sleep 1; done
HTTPS=$(grep -o 'HTTPS on https://[0-9.]*:[0-9]*' $D/out | grep -o '[0-9]*$')
SSH=$(grep -o 'listening on [0-9.]*:[0-9]*' $D/out | head -1 | grep -o '[0-9]*$')
mb() { awk "BEGIN{printf \"%.0f MB/s\", $1/1048576}"; }
for v in --http1.1 --http2; do
  for run in 1 2 3; do
    up=$(curl -sS -k $v -u alice:secret -T $D/big -o /dev/null -w '%{speed_upload}' https://127.0.0.1:$HTTPS/dav/big$run)
    down=$(curl -sS -k $v -u alice:secret -o /dev/null -w '%{speed_download}' https://127.0.0.1:$HTTPS/dav/big$run)
    echo "webdav $v run $run: PUT $(mb $up), GET $(mb $down)"
  done
done

