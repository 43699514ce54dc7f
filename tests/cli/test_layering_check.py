"""The layering check itself (tests/tools/check_layering.py, ctest
unit.layering) on small made-up trees: it must find each kind of problem,
or its passing on the real tree would prove nothing."""
import subprocess
import sys

from conftest import SOURCE_DIR

CHECK = SOURCE_DIR / "tests" / "tools" / "check_layering.py"


def tree(root, files):
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    return root


def check(root, allow=None):
    cmd = [sys.executable, str(CHECK), str(root)]
    if allow is not None:
        (root / "allow.txt").write_text(allow)
        cmd += ["--allow", str(root / "allow.txt")]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    return p.returncode, p.stdout + p.stderr


CLEAN = {
    "include/pkgauth/api.h": '#include <stddef.h>\n#include "pkgauth/common.h"\nint api(void);\n',
    "include/pkgauth/common.h": "typedef int pkgauth_int;\n",
    "src/lib/util.h": "int util_add(int a, int b);\n",
    "src/lib/util.c": '#include "util.h"\nint util_add(int a, int b) { return a + b; }\n',
    "src/lib/store.h": '#include "util.h"\nint store_get(void);\nextern int store_flag;\n',
    "src/lib/store.c": '#include "store.h"\nint store_flag;\n'
                       'int store_get(void) { return util_add(store_flag, 1); }\n',
    # a header several files implement does not tie them together
    "src/lib/backend.h": "int backend_a(void);\nint backend_b(void);\n",
    "src/lib/backend_a.c": '#include "backend.h"\n#include "store.h"\n'
                           "int backend_a(void) { return store_get(); }\n",
    "src/lib/backend_b.c": '#include "backend.h"\nint backend_b(void) { return 2; }\n',
    "src/cli/cli.h": "int cli_out(void);\n",
    "src/cli/out.c": '#include "cli.h"\nint cli_out(void) { return 0; }\n',
    "src/cli/main.c": '#include "cli.h"\n#include "store.h"\n'
                      "int main(void) { return cli_out() + store_get(); }\n",
}


def test_clean_tree_passes(tmp_path):
    rc, out = check(tree(tmp_path, CLEAN))
    assert rc == 0, out
    assert "layering ok" in out


def test_cycle_through_a_shared_header(tmp_path):
    files = dict(CLEAN)
    # store.c now calls a backend, which calls the store: a cycle
    files["src/lib/store.c"] = ('#include "store.h"\n#include "backend.h"\nint store_flag;\n'
                                "int store_get(void) { return backend_b(); }\n")
    files["src/lib/backend_b.c"] = ('#include "backend.h"\n#include "store.h"\n'
                                    "int backend_b(void) { return store_flag; }\n")
    rc, out = check(tree(tmp_path, files))
    assert rc == 1
    assert "error: lib: file cycle among backend_b.c store.c" in out
    assert "backend_b.c -> store.c: store_flag (store.h)" in out
    assert "store.c -> backend_b.c: backend_b (backend.h)" in out
    assert "backend_a.c" not in out.split("among")[1].splitlines()[0]


def test_cli_cycle(tmp_path):
    files = dict(CLEAN)
    files["src/cli/cli.h"] = "int cli_out(void);\nint cli_help(void);\n"
    files["src/cli/main.c"] = ('#include "cli.h"\nint cli_help(void) { return 1; }\n'
                               "int main(void) { return cli_out(); }\n")
    files["src/cli/out.c"] = '#include "cli.h"\nint cli_out(void) { return cli_help(); }\n'
    rc, out = check(tree(tmp_path, files))
    assert rc == 1 and "error: cli: file cycle among main.c out.c" in out


def test_header_include_cycle(tmp_path):
    files = dict(CLEAN)
    files["src/lib/util.h"] = '#include "store.h"\nint util_add(int a, int b);\n'
    rc, out = check(tree(tmp_path, files))
    assert rc == 1 and "error: lib: include cycle among store.h util.h" in out


def test_public_header_includes_internal_one(tmp_path):
    files = dict(CLEAN)
    files["include/pkgauth/api.h"] = '#include "../../src/lib/store.h"\nint api(void);\n'
    rc, out = check(tree(tmp_path, files))
    assert rc == 1 and "include/pkgauth/api.h: includes \"../../src/lib/store.h\"" in out
    files["include/pkgauth/api.h"] = "#include <pkgauth/missing.h>\nint api(void);\n"
    rc, out = check(tree(tmp_path, files))
    assert rc == 1 and "<pkgauth/missing.h>" in out


def test_lib_includes_cli(tmp_path):
    files = dict(CLEAN)
    files["src/lib/util.c"] = '#include "util.h"\n#include "../cli/cli.h"\nint util_add(int a, int b) { return a + b; }\n'
    rc, out = check(tree(tmp_path, files))
    assert rc == 1 and "src/lib/util.c: includes ../cli/cli.h of src/cli" in out


def test_allow_list(tmp_path):
    files = dict(CLEAN)
    files["src/cli/cli.h"] = "int cli_out(void);\nint cli_help(void);\n"
    files["src/cli/main.c"] = ('#include "cli.h"\nint cli_help(void) { return 1; }\n'
                               "int main(void) { return cli_out(); }\n")
    files["src/cli/out.c"] = '#include "cli.h"\nint cli_out(void) { return cli_help(); }\n'
    root = tree(tmp_path, files)
    rc, out = check(root, "# known\ncli: out.c main.c\n")
    assert rc == 0, out
    assert "allowed (line 2 of allow.txt): cli: file cycle among main.c out.c" in out
    # a listed cycle that is gone fails, so the list only shrinks
    rc, out = check(root, "cli: out.c main.c\nlib: store.c util.c\n")
    assert rc == 1 and "allow.txt:2: 'lib: store.c util.c' is no longer a cycle" in out
