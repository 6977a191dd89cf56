"""A load client that is not Java: Python's asyncssh, so that figures do not depend on MINA's own client.

Each scenario prints one line of key=value pairs, in the format of termlet-bench.jar's own lines (label= names
the server), so that `termlet-bench.jar report` tables them with the rest.

  echo   one session: connect, log in, PTY shell, wait for the prompt, type KEYS single keys at an interval
         and time each key's echo (the first byte back after the key was sent); p50, p99, max
  logins concurrent loops of connect + password login + PTY shell + prompt + close for a duration;
         logins per second and the connect-to-prompt p50
  mixed  the echo scenario while `logins` (in a second process, so that the logins' work on the client does not
         delay the echoes measured) saturates the server: keystroke latency of an existing session while logins
         take the CPU

Needs Debian's python3-asyncssh (run with /usr/bin/python3). The prompt is "$ " on every server the bench
starts. Keys are lower-case letters; a line is ended with Enter every 40 keys (not timed), so that no server
wraps or scrolls.

Usage: asyncssh_load.py echo|logins|mixed --port P [--host 127.0.0.1] [--user bench] [--password bench]
       [--identity KEYFILE] [--keys 500] [--interval-ms 20] [--warmup-keys 2000] [--concurrency 20] [--duration 15] [--label NAME]
"""
import argparse
import asyncio
import os
import re
import statistics
import sys
import time
import warnings

warnings.filterwarnings("ignore")
import asyncssh  # noqa: E402

PROMPT = b"$ "


class Shell:
    """A PTY shell whose output is read byte-wise into a buffer, with waits for a pattern."""

    def __init__(self, conn, process):
        self.conn = conn
        self.process = process
        self.buf = bytearray()
        self.event = asyncio.Event()
        self.reader = asyncio.ensure_future(self._read())

    async def _read(self):
        try:
            while True:
                data = await self.process.stdout.read(4096)
                if not data:
                    break
                self.buf += data
                self.event.set()
        finally:
            self.event.set()

    async def wait_for(self, pattern, start=0, timeout=20.0):
        deadline = time.monotonic() + timeout
        while True:
            i = self.buf.find(pattern, start)
            if i >= 0:
                return i + len(pattern)
            if self.reader.done():
                raise RuntimeError("session ended before %r" % pattern)
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no %r within %.0f s" % (pattern, timeout))
            self.event.clear()
            try:
                await asyncio.wait_for(self.event.wait(), left)
            except asyncio.TimeoutError:
                pass

    async def wait_more(self, than, timeout=20.0):
        deadline = time.monotonic() + timeout
        while len(self.buf) <= than:
            if self.reader.done():
                raise RuntimeError("session ended")
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no echo within %.0f s" % timeout)
            self.event.clear()
            if len(self.buf) > than:
                break
            try:
                await asyncio.wait_for(self.event.wait(), left)
            except asyncio.TimeoutError:
                pass

    def close(self):
        self.reader.cancel()
        self.conn.close()


async def open_shell(args):
    options = dict(host=args.host, port=args.port, username=args.user, known_hosts=None,
                   kex_algs=["curve25519-sha256@libssh.org", "curve25519-sha256"])
    if args.identity:
        options["client_keys"] = [args.identity]
        options["password"] = None
    else:
        options["password"] = args.password
        options["client_keys"] = None
        options["preferred_auth"] = ["password"]
    conn = await asyncssh.connect(**options)
    process = await conn.create_process(term_type="xterm", term_size=(200, 50), encoding=None)
    shell = Shell(conn, process)
    await shell.wait_for(PROMPT)
    return shell


def pct(values, p):
    if not values:
        return float("nan")
    s = sorted(values)
    k = min(len(s) - 1, max(0, int(round(p / 100.0 * len(s) + 0.5)) - 1))
    return s[k]


async def type_keys(args, shell, latencies, stop=None):
    letters = b"abcdefghijklmnopqrstuvwxyz"
    typed = 0
    for i in range(args.keys):
        if stop is not None and stop.is_set():
            break
        if typed == 40:
            mark = len(shell.buf)
            shell.process.stdin.write(b"\r")
            await shell.wait_for(PROMPT, mark)
            typed = 0
        key = letters[i % 26:i % 26 + 1]
        before = len(shell.buf)
        t0 = time.perf_counter_ns()
        shell.process.stdin.write(key)
        await shell.wait_more(before)
        latencies.append((time.perf_counter_ns() - t0) / 1e6)
        typed += 1
        await asyncio.sleep(args.interval_ms / 1000.0)


async def echo(args):
    shell = await open_shell(args)
    try:
        # a first line both ways, as a user's first command
        mark = len(shell.buf)
        shell.process.stdin.write(b"hello\r")
        await shell.wait_for(PROMPT, mark)
        for i in range(args.warmup_keys):  # warm-up keys (the server's JIT), not counted
            before = len(shell.buf)
            shell.process.stdin.write(b"x")
            await shell.wait_more(before)
            if i % 40 == 39:
                mark = len(shell.buf)
                shell.process.stdin.write(b"\r")
                await shell.wait_for(PROMPT, mark)
        mark = len(shell.buf)
        shell.process.stdin.write(b"\r")
        await shell.wait_for(PROMPT, mark)
        latencies = []
        await type_keys(args, shell, latencies)
        return latencies
    finally:
        shell.close()


async def login_loop(args, stop, connects, failures):
    while not stop.is_set():
        t0 = time.perf_counter()
        try:
            shell = await open_shell(args)
            connects.append((time.perf_counter() - t0) * 1000.0)
            shell.close()
        except (OSError, asyncssh.Error, TimeoutError, RuntimeError) as e:
            failures.append(str(e))
            await asyncio.sleep(0.05)


async def logins(args):
    stop = asyncio.Event()
    connects, failures = [], []
    tasks = [asyncio.ensure_future(login_loop(args, stop, connects, failures)) for _ in range(args.concurrency)]
    await asyncio.sleep(args.warmup)
    connects.clear()
    t0 = time.perf_counter()
    await asyncio.sleep(args.duration)
    n = len(connects)
    elapsed = time.perf_counter() - t0
    stop.set()
    await asyncio.gather(*tasks, return_exceptions=True)
    return n / elapsed, connects[:n], failures


async def mixed(args):
    """Types in one session while another process runs the logins: a client's own event loop, busy with 20
    logins, would otherwise delay the echoes it measures."""
    shell = await open_shell(args)
    try:
        typing_seconds = args.keys * (args.interval_ms / 1000.0 + 0.01) + 2.0
        cmd = [sys.executable, os.path.abspath(__file__), "logins", "--host", args.host, "--port", str(args.port),
               "--user", args.user, "--password", args.password, "--concurrency", str(args.concurrency),
               "--warmup", str(args.warmup), "--duration", str(typing_seconds), "--label", args.label or "unnamed"]
        logins = await asyncio.create_subprocess_exec(*cmd, stdout=asyncio.subprocess.PIPE)
        await asyncio.sleep(args.warmup)
        latencies = []
        await type_keys(args, shell, latencies)
        out, _ = await logins.communicate()
        line = out.decode(errors="replace")
        rate = float(re.search(r"rate=([0-9.]+)", line).group(1)) if "rate=" in line else float("nan")
        failed = int(re.search(r"failed=([0-9]+)", line).group(1)) if "failed=" in line else -1
        return latencies, rate, failed
    finally:
        shell.close()


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("scenario", choices=["echo", "logins", "mixed"])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--user", default="bench")
    p.add_argument("--password", default="bench")
    p.add_argument("--identity")
    p.add_argument("--keys", type=int, default=500)
    p.add_argument("--interval-ms", type=float, default=20.0)
    p.add_argument("--warmup-keys", type=int, default=2000)
    p.add_argument("--concurrency", type=int, default=20)
    p.add_argument("--duration", type=float, default=15.0)
    p.add_argument("--warmup", type=float, default=3.0)
    p.add_argument("--label", default="")
    args = p.parse_args()
    label = " label=" + (args.label or "unnamed")
    loop = asyncio.new_event_loop()
    if args.scenario == "echo":
        lat = loop.run_until_complete(echo(args))
        print("scenario=asyncssh-echo%s keys=%d p50=%.3fms p99=%.3fms max=%.3fms mean=%.3fms"
              % (label, len(lat), pct(lat, 50), pct(lat, 99), max(lat), statistics.mean(lat)))
    elif args.scenario == "logins":
        rate, connects, failures = loop.run_until_complete(logins(args))
        print("scenario=asyncssh-logins%s concurrency=%d auth=%s rate=%.2f/s connectP50=%.1fms"
              " connectP99=%.1fms failed=%d"
              % (label, args.concurrency, "key" if args.identity else "password", rate, pct(connects, 50),
                 pct(connects, 99), len(failures)))
        if failures:
            print("first failure: " + failures[0], file=sys.stderr)
    else:
        lat, rate, failed = loop.run_until_complete(mixed(args))
        print("scenario=asyncssh-mixed%s concurrency=%d keys=%d p50=%.3fms p99=%.3fms max=%.3fms"
              " loginRate=%.2f/s failed=%d"
              % (label, args.concurrency, len(lat), pct(lat, 50), pct(lat, 99), max(lat), rate, failed))


if __name__ == "__main__":
    main()
