"""Echo server on PyserSSH (the Python original of Termlet), run by pyserssh.sh as a peer for the load tool.

Written after PyserSSH's README quick example: an account manager, a Server, an on_user("command") handler,
ssh.run(key). Each entered line is sent back; the prompt is "$ ". PyserSSH's input system echoes each typed key
itself and hands the handler whole lines (stripped, blank lines are not handed over).

PyserSSH is not installed: PYSERSSH_SRC points at a checkout (its src/ goes on sys.path). Needs Debian's
python3-paramiko and python3-psutil; run with /usr/bin/python3.

Usage: pyserssh_echo.py --port PORT --host-key RSA_PEM_FILE [--host 127.0.0.1] [--sftp-root DIR]
"""
import argparse
import importlib.abc
import importlib.util
import os
import sys


def add_pyserssh_to_path():
    src = os.environ.get("PYSERSSH_SRC", "/work/pyserssh")
    pkg = os.path.join(src, "src", "PyserSSH")
    if not os.path.isfile(os.path.join(pkg, "__init__.py")):
        sys.exit(f"pyserssh_echo.py: no PyserSSH checkout at {src} (set PYSERSSH_SRC)")
    sys.path.insert(0, os.path.join(src, "src"))

    # PyserSSH 6.0's system/interface.py imports ".RemoteStatus" but the file is "remotestatus.py": that only
    # works on case-insensitive file systems. Resolve the mixed-case name to the real file, without touching
    # the checkout.
    real = os.path.join(pkg, "system", "remotestatus.py")
    if not os.path.exists(os.path.join(pkg, "system", "RemoteStatus.py")) and os.path.isfile(real):
        class RemoteStatusAlias(importlib.abc.MetaPathFinder):
            def find_spec(self, fullname, path=None, target=None):
                if fullname == "PyserSSH.system.RemoteStatus":
                    return importlib.util.spec_from_file_location(fullname, real)
                return None

        sys.meta_path.insert(0, RemoteStatusAlias())


def main():
    parser = argparse.ArgumentParser(description="PyserSSH echo server")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--host-key", required=True, help="RSA private key (PEM); PyserSSH loads only RSA")
    parser.add_argument("--user", default="bench")
    parser.add_argument("--password", default="bench")
    parser.add_argument("--sftp-root", help="enable PyserSSH's SFTP subsystem rooted at this directory")
    args = parser.parse_args()

    os.environ.setdefault("pyserssh_systemmessage", "NO")  # no banner on import
    add_pyserssh_to_path()
    from PyserSSH import Server, LocalAccountManager

    useraccount = LocalAccountManager()
    useraccount.add_account(args.user, args.password)
    useraccount.set_prompt(args.user, "$")  # PyserSSH sends prompt + " "

    sftp = args.sftp_root is not None
    if sftp:
        useraccount.set_user_sftp_allow(args.user, True)
        useraccount.set_user_sftp_root_path(args.user, os.path.abspath(args.sftp_root).rstrip("/"))

    # No system commands (they would answer "echo", "whoami", ... themselves), no banner, no title escape.
    ssh = Server(useraccount, system_message=False, system_commands=False, title="", sftp=sftp)

    @ssh.on_user("command")
    def command(client, command: str):
        client.sendln(command)

    ssh.run(args.host_key, host=args.host, port=args.port)


if __name__ == "__main__":
    main()
