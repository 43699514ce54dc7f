#!/usr/bin/env bash
# keyring-session.sh COMMAND [ARGS...]
#
# Run COMMAND inside a fresh, private D-Bus session bus that has an
# unlocked gnome-keyring (Secret Service) with a default collection
# ("login", alias "default").  No GUI and no prompts are needed, so this
# works headless and as root.  Exits with COMMAND's exit status.
# The keyring tests (tests/cli/test_keyring.py) and bench/keyring.sh use it;
# nothing of the caller's own keyring or bus is touched.
#
# The keyring lives in a throw-away directory that is removed afterwards;
# gnome-keyring-daemon and dbus-daemon are stopped when COMMAND ends.
# COMMAND sees the caller's environment unchanged except for
# DBUS_SESSION_BUS_ADDRESS (the private bus) and KEYRING_SESSION_DIR.
# To keep a session open from another program, make COMMAND print the
# address and wait for its standard input to close, e.g.
#   keyring-session.sh sh -c 'echo "$DBUS_SESSION_BUS_ADDRESS"; exec cat >/dev/null'
#
# Exit status: COMMAND's status; 125 if the keyring could not be set up;
# 127 if a required tool is missing; 2 on bad usage.
#
# Needs (Debian): dbus-daemon (dbus-run-session, dbus-daemon),
# dbus-bin (dbus-send), gnome-keyring (gnome-keyring-daemon).
# Environment: KEYRING_SESSION_TIMEOUT (seconds to wait for the
# daemon, default 10), KEYRING_SESSION_DEBUG=1 (print daemon logs).

set -u

INNER_MARK=__keyring_session_inner__
PASSWORD=keyring-session-test

if [ "${1:-}" != "$INNER_MARK" ]; then
    # ---------------------------------------------------------------- outer
    if [ $# -eq 0 ]; then
        echo "usage: $0 COMMAND [ARGS...]" >&2
        exit 2
    fi
    for tool in dbus-run-session dbus-daemon dbus-send gnome-keyring-daemon; do
        if ! command -v "$tool" >/dev/null 2>&1; then
            echo "keyring-session: required tool '$tool' not found" >&2
            exit 127
        fi
    done
    self=$(readlink -f "$0")
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/keyring-session.XXXXXX") || exit 125
    trap 'rm -rf "$tmp"' EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    mkdir -m 700 "$tmp/run" "$tmp/data" || exit 125

    # Wrapper so that dbus-daemon's own chatter ("Activating service ...",
    # "Failed to set fd limit ...") goes to a log instead of COMMAND's stderr.
    daemon_bin=$(command -v dbus-daemon)
    cat >"$tmp/dbus-daemon" <<EOF
#!/bin/sh
exec "$daemon_bin" "\$@" 2>>"$tmp/dbus-daemon.log"
EOF
    chmod 700 "$tmp/dbus-daemon"

    # The daemons get private XDG dirs (keyring files, control socket);
    # the original values are handed back to COMMAND by the inner part.
    export _KS_ORIG_XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR-__unset__}"
    export _KS_ORIG_XDG_DATA_HOME="${XDG_DATA_HOME-__unset__}"
    export XDG_RUNTIME_DIR="$tmp/run" XDG_DATA_HOME="$tmp/data"

    dbus-run-session --dbus-daemon="$tmp/dbus-daemon" -- \
        bash "$self" "$INNER_MARK" "$tmp" "$@"
    rc=$?
    if [ "${KEYRING_SESSION_DEBUG:-0}" = 1 ] && [ -s "$tmp/dbus-daemon.log" ]; then
        echo "--- keyring-session: dbus-daemon log" >&2
        cat "$tmp/dbus-daemon.log" >&2
    fi
    exit "$rc"
fi

# -------------------------------------------------------------------- inner
# Runs under dbus-run-session: DBUS_SESSION_BUS_ADDRESS is the private bus.
shift
tmp=$1
shift
timeout_s=${KEYRING_SESSION_TIMEOUT:-10}

# --foreground keeps gnome-keyring-daemon our own child, so we can stop it.
# --unlock reads the password from stdin and creates/unlocks the "login"
# collection, which gnome-keyring uses as the "default" alias.
printf '%s' "$PASSWORD" |
    gnome-keyring-daemon --foreground --unlock --components=secrets \
        >"$tmp/gnome-keyring.log" 2>&1 &
gkd_pid=$!

stop_gkd() {
    if kill -0 "$gkd_pid" 2>/dev/null; then
        kill "$gkd_pid" 2>/dev/null
        wait "$gkd_pid" 2>/dev/null
    fi
}

fail_setup() {
    echo "keyring-session: $1" >&2
    echo "--- gnome-keyring-daemon log:" >&2
    cat "$tmp/gnome-keyring.log" >&2
    stop_gkd
    exit 125
}

dbus_call() {  # dbus-send with a reply; prints the reply
    dbus-send --session --print-reply=literal "$@" 2>/dev/null
}

# Wait until the daemon owns org.freedesktop.secrets (checked without
# D-Bus activation) and the default collection exists and is unlocked.
deadline=$(( $(date +%s) + timeout_s ))
ready=0
while [ "$(date +%s)" -le "$deadline" ]; do
    if ! kill -0 "$gkd_pid" 2>/dev/null; then
        fail_setup "gnome-keyring-daemon exited during start-up"
    fi
    owned=$(dbus_call --dest=org.freedesktop.DBus /org/freedesktop/DBus \
        org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets)
    case $owned in
    *true*)
        coll=$(dbus_call --dest=org.freedesktop.secrets /org/freedesktop/secrets \
            org.freedesktop.Secret.Service.ReadAlias string:default)
        coll=$(printf '%s' "$coll" | tr -d '[:space:]')
        if [ -n "$coll" ] && [ "$coll" != / ]; then
            locked=$(dbus_call --dest=org.freedesktop.secrets "$coll" \
                org.freedesktop.DBus.Properties.Get \
                string:org.freedesktop.Secret.Collection string:Locked)
            case $locked in
            *false*) ready=1; break ;;
            esac
        fi
        ;;
    esac
    sleep 0.05
done
[ "$ready" = 1 ] || fail_setup "no unlocked default collection after ${timeout_s}s"

# Give COMMAND the caller's XDG values back.
if [ "$_KS_ORIG_XDG_RUNTIME_DIR" = __unset__ ]; then unset XDG_RUNTIME_DIR
else export XDG_RUNTIME_DIR="$_KS_ORIG_XDG_RUNTIME_DIR"; fi
if [ "$_KS_ORIG_XDG_DATA_HOME" = __unset__ ]; then unset XDG_DATA_HOME
else export XDG_DATA_HOME="$_KS_ORIG_XDG_DATA_HOME"; fi
unset _KS_ORIG_XDG_RUNTIME_DIR _KS_ORIG_XDG_DATA_HOME
export KEYRING_SESSION_DIR="$tmp"

"$@"
rc=$?

stop_gkd
if [ "${KEYRING_SESSION_DEBUG:-0}" = 1 ] && [ -s "$tmp/gnome-keyring.log" ]; then
    echo "--- keyring-session: gnome-keyring-daemon log" >&2
    cat "$tmp/gnome-keyring.log" >&2
fi
exit "$rc"
