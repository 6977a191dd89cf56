#!/usr/bin/python3
"""Paramiko's SFTP client against a test server: argv = port user password local_dir.

Logs in with the password, then put, get, listdir, stat, rename, mkdir, remove; prints one line per step
("STEP value") and exits 0, or prints the error and exits 1. ParamikoTest checks both sides.
"""
import os
import stat
import sys

import paramiko


def main():
    port, user, password, local = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
    transport = paramiko.Transport(("127.0.0.1", port))
    try:
        transport.connect(username=user, password=password)  # no host key check: a throwaway test server
        sftp = paramiko.SFTPClient.from_transport(transport)
        attrs = sftp.put(os.path.join(local, "up.txt"), "up.txt")
        print("PUT", attrs.st_size)
        sftp.get("server.txt", os.path.join(local, "down.txt"))
        print("GET", os.path.getsize(os.path.join(local, "down.txt")))
        sftp.mkdir("dir")
        print("MKDIR", stat.S_ISDIR(sftp.stat("dir").st_mode))
        sftp.rename("up.txt", "dir/moved.txt")
        print("RENAME", sftp.stat("dir/moved.txt").st_size)
        print("LISTDIR", ",".join(sorted(sftp.listdir("."))))
        print("LISTDIR dir", ",".join(sorted(sftp.listdir("dir"))))
        sftp.remove("server.txt")
        try:
            sftp.stat("server.txt")
            print("REMOVE still there")
        except FileNotFoundError:
            print("REMOVE gone")
        print("NORMALIZE", sftp.normalize("."))
        sftp.close()
    except Exception as e:  # one line for the test's failure message
        print("ERROR", type(e).__name__, e)
        return 1
    finally:
        transport.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
