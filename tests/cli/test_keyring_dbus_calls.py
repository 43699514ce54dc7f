"""Issue 12, lookup speed: `pkgauth token` through the keyring makes no
more D-Bus method calls than it needs. Counted with dbus-monitor on the
private bus of a real gnome-keyring (test_keyring.py's fixture), beside
`secret-tool lookup` of the same item, libsecret's own client (11 calls).

Before: 21 calls (the detection's NameHasOwner and ReadAlias, libsecret's
service proxy with its 7, SearchItems, then a proxy for the item found,
with its own AddMatch/StartServiceByName/GetNameOwner/GetAll/RemoveMatch,
OpenSession, GetSecrets). Now 7: Hello, GetNameOwner (is the Secret
Service running, and which connection is it), SearchItems, OpenSession,
GetSecrets, and the AddMatch/RemoveMatch of GDBus's proxy, which it sends
without waiting for an answer."""
import queue
import re
import shutil
import subprocess
import threading
import time

import pytest

from test_keyring import keyring, login_token, report  # noqa: F401 (fixtures)

KEY = "calls.example.com"
MAX_CALLS = 7
CALL = re.compile(r"^method call time=\S+ sender=(\S+) -> destination=(\S+) .*member=(\w+)$")


class Monitor:
    """dbus-monitor on the session's bus; calls() returns the method calls
    it saw since the last marker: a NameHasOwner for a name of our own,
    sent until the monitor shows it, so that nothing before it is lost."""

    def __init__(self, session):
        self.session = session
        self.p = subprocess.Popen(["dbus-monitor", "--session", "type='method_call'"],
                                  env=session._full_env, stdout=subprocess.PIPE,
                                  stderr=subprocess.DEVNULL, text=True)
        self.lines = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.marks = 0
        self.calls()

    def _read(self):
        for line in self.p.stdout:
            self.lines.put(line.rstrip("\n"))

    def _mark(self, name):
        self.session.tool("dbus-send", "--session", "--print-reply",
                          "--dest=org.freedesktop.DBus", "/org/freedesktop/DBus",
                          "org.freedesktop.DBus.NameHasOwner", f"string:{name}")

    def calls(self):
        self.marks += 1
        name = f"org.example.pkgauth.mark{self.marks}"
        seen, markers = [], set()
        deadline = time.monotonic() + 20
        self._mark(name)
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                self._mark(name)  # the monitor may not have been listening yet
                continue
            if line.startswith('   string "org.example.pkgauth.mark') and seen:
                markers.add(seen[-1][0])  # a dbus-send of ours
            if line == f'   string "{name}"':
                return [call for call in seen if call[0] not in markers]
            m = CALL.match(line)
            if m:
                seen.append(m.groups())
        pytest.fail("dbus-monitor never showed the marker")

    def close(self):
        self.p.terminate()
        self.p.wait(timeout=10)


def calls_of(session, action):
    """The method calls that the one process action() runs makes."""
    mon = Monitor(session)
    try:
        out = action()
        seen = mon.calls()
    finally:
        mon.close()
    # The process's own connection: the one that introduced itself.
    [client] = {sender for sender, _, member in seen if member == "Hello"}
    return out, [f"{dest} {member}" for sender, dest, member in seen if sender == client]


def test_token_through_the_keyring_makes_few_dbus_calls(run, keyring, secrets, report):
    for tool in ("dbus-monitor", "dbus-send"):
        if not shutil.which(tool):
            pytest.skip(f"{tool} is not installed")
    login_token(run, keyring.env, KEY, "calls_tok_1", secrets)
    p, mine = calls_of(keyring, lambda: run("token", KEY, env=keyring.env, check=0))
    assert p.stdout == "calls_tok_1\n"
    _, theirs = calls_of(keyring, lambda: keyring.lookup(KEY))
    report(f"D-Bus method calls for one lookup: pkgauth token {len(mine)}, "
           f"secret-tool lookup {len(theirs)}")
    assert len(mine) <= MAX_CALLS, "\n".join(mine)
