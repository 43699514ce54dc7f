"""What pkgauth prints about keys, user names, URLs, files and AWS profiles
stays one line and cannot drive the terminal (issue 11 item 7): control
characters, DEL, C1 controls and invalid UTF-8 are shown escaped (\\n, \\r,
\\t, \\xNN) by `status`, `which`, `config`, every error and the -vvv log."""
import json
import subprocess

from conftest import PKGAUTH

ESC = "\x1b"


def assert_clean(text):
    assert ESC not in text and "\r" not in text and "\x07" not in text and "\x9b" not in text


def test_status_escapes_keys_and_store_names(run, tmp_path):
    d = tmp_path / "dir\nwith\x1b[31mbreak"
    d.mkdir()
    f = d / "c.json"
    f.write_text(json.dumps({"a\x1b[2Jb\nc": {"BearerToken": "x"},
                             "*.example.com": {"BearerToken": "y"}}))
    out = run("status", env={"RATTLER_AUTH_FILE": f}, check=0).stdout
    assert_clean(out)
    # two entries of three lines each: nothing a key or path holds adds one
    assert len(out.splitlines()) == 6, out
    assert "a\\x1b[2Jb\\nc\n  method: BearerToken\n" in out
    assert "dir\\nwith\\x1b[31mbreak" in out

    out = run("which", "https://x.example.com/", env={"RATTLER_AUTH_FILE": f}, check=0).stdout
    assert_clean(out)
    assert len(out.splitlines()) == 3 and "dir\\nwith\\x1b[31mbreak" in out

    out = run("config", env={"RATTLER_AUTH_FILE": f, "PIXI_HOME": d}, check=0).stdout
    assert_clean(out)
    assert "dir\\nwith\\x1b[31mbreak" in out


def test_errors_are_one_line(run, tmp_path, base_env):
    f = tmp_path / "c.json"
    f.write_text("{}")
    env = {"RATTLER_AUTH_FILE": f}
    for args in (["which", "https://a\x1b[31mb.example.com/\r\nX-Y: z"],
                 ["fetch", "http://127.0.0.1:1/\x1b]0;title\x07", "-o", tmp_path / "o"],
                 ["login", "bad\nhost\x1b[2J", "--token", "t"],
                 ["presign", "s3://bkt/k"]):
        p = run(*args, env=dict(env, AWS_PROFILE="dev\x1b[2J\nX-profile"))
        assert p.returncode != 0
        assert_clean(p.stderr)
        lines = [l for l in p.stderr.splitlines() if not l.startswith("For more information")]
        assert len(lines) == 1 and lines[0].startswith("error: "), p.stderr
    p = run("presign", "s3://bkt/k", env=dict(env, AWS_PROFILE="dev\x1b[2J\nX-profile"))
    assert "dev\\x1b[2J\\nX-profile" in p.stderr
    # A C1 control (8-bit CSI) and invalid UTF-8, passed as bytes.
    p = subprocess.run([str(PKGAUTH), "which", b"https://a\xc2\x9b31mb\xff.example.com/"],
                       env=dict(base_env, RATTLER_AUTH_FILE=str(f)), capture_output=True,
                       timeout=60)
    assert p.returncode == 1
    assert b"\xc2\x9b" not in p.stderr and b"\xff" not in p.stderr
    assert b"\\xc2\\x9b31mb\\xff" in p.stderr
