#!/bin/sh
# Run by the file server after each upload, as SFTPGo runs a custom-action hook: $1 the action, $2 the user,
# $3 the file on disk, and SFTPGO_ACTION_* variables (Termlet's docs/hooks.md lists them). For each upload that
# succeeded it appends "time user path size sha256:HASH" to uploads.log beside this script.
set -eu
[ "$1" = upload ] && [ "$SFTPGO_ACTION_STATUS" = 1 ] || exit 0
log="$(dirname "$0")/uploads.log"
hash=$(sha256sum < "$3" | cut -d ' ' -f 1)
path=$(printf '%s' "$SFTPGO_ACTION_VIRTUAL_PATH" | tr -d '[:cntrl:]')    # one line per upload, whatever the name
printf '%s %s %s %s sha256:%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$2" "$path" "$SFTPGO_ACTION_FILE_SIZE" "$hash" \
    >> "$log"
