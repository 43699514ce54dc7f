#!/usr/bin/env python3
"""Layering check (docs/architecture.md), run by ctest as unit.layering.

1. No dependency cycle among the source files of src/lib, nor among those
   of src/cli. File A depends on file B when A includes (directly or
   through other headers of its folder tree) a header that declares a
   function or variable B defines, and A uses that name. So a cycle through
   a shared header is found (store.c -> backend.h -> backend_file.c ->
   store_internal.h -> store.c), and a header many files implement does not
   tie those files together.
2. No #include cycle among headers (include guards hide them from the
   compiler, not from the reader).
3. Public headers (include/pkgauth/**.h) include only other public headers
   ("pkgauth/x.h" or <pkgauth/x.h>) or system headers (<...>); src/lib never
   includes a header of src/cli.

Known cycles that are being removed can be listed in an allow-list file
(tests/tools/layering-allow.txt), one cycle a line: "<scope>: <files>",
the files of the cycle sorted and separated by spaces. A listed cycle is
reported but passes; a listed cycle that no longer exists fails, so the
list only ever shrinks (remove its line).

Usage: check_layering.py SOURCE_DIR [--allow FILE]
Exit 0 when clean, 1 with the findings on stdout.
"""
import argparse
import os
import re
import sys
from pathlib import Path

INCLUDE_RE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)
IDENT_RE = re.compile(r"\b[A-Za-z_]\w*\b")
KEYWORDS = {"if", "while", "for", "switch", "return", "sizeof", "typedef", "__attribute__",
            "defined", "__has_include", "_Static_assert", "static_assert"}


def strip_comments(text):
    """Text without comments, string or character literals, or preprocessor
    lines (a #define body is not a declaration)."""
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    text = re.sub(r'"(?:\\.|[^"\\\n])*"', '""', text)
    text = re.sub(r"'(?:\\.|[^'\\\n])*'", "''", text)
    # preprocessor lines, with their continuations
    return re.sub(r"^\s*#(?:[^\n]*\\\n)*[^\n]*", " ", text, flags=re.M)


def top_level_items(code):
    """(head, has_body) for each top-level statement or definition: head is
    the text before its ';' or its '{' body at depth 0."""
    items, depth, start, i = [], 0, 0, 0
    paren = 0
    while i < len(code):
        c = code[i]
        if c == "(":
            paren += 1
        elif c == ")":
            paren -= 1
        elif c == "{":
            if depth == 0 and paren == 0:
                items.append((code[start:i], True))
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                start = i + 1
        elif c == ";" and depth == 0 and paren == 0:
            items.append((code[start:i], False))
            start = i + 1
        i += 1
    return items


def declared_name(head):
    """The function or variable a top-level declaration declares, or None."""
    head = head.strip()
    if not head or head.startswith("typedef") or re.match(r"(struct|union|enum)\s+\w+\s*$", head):
        return None
    head = re.sub(r"__attribute__\s*\(\(.*?\)\)", " ", head, flags=re.S)
    ptr = re.match(r"[^(]*\(\s*\*\s*(\w+)\s*\)", head)  # a function pointer variable
    if ptr:
        return ptr.group(1)
    if "(" in head:
        name = re.search(r"(\w+)\s*\($", head[: head.index("(") + 1])
        return name.group(1) if name and name.group(1) not in KEYWORDS else None
    head = head.split("=")[0].strip()
    name = re.search(r"(\w+)\s*(\[[^\]]*\])*\s*$", head)
    if name and re.search(r"\w[\s*]+\w", head):  # "type name", not a bare word
        return name.group(1)
    return None


class Scope:
    """The source files of one folder tree (src/lib or src/cli)."""

    def __init__(self, name, root, search):
        self.name, self.root, self.search = name, root, search
        self.files = sorted(p for p in root.rglob("*") if p.suffix in (".c", ".h"))
        self.text = {p: p.read_text(errors="replace") for p in self.files}
        self.code = {p: strip_comments(t) for p, t in self.text.items()}

    def rel(self, p):
        return p.relative_to(self.root).as_posix()

    def resolve(self, includer, target):
        """The file an #include "target" in includer names, or None."""
        for base in [includer.parent, self.root, *self.search]:
            cand = (base / target).resolve()
            if cand.is_file():
                return cand
        by_tail = [p for p in self.files if p.as_posix().endswith("/" + target)]
        return by_tail[0].resolve() if len(by_tail) == 1 else None

    def includes(self, p):
        return [(kind, t) for kind, t in INCLUDE_RE.findall(self.text[p])]

    def local_includes(self, p):
        """Headers of this scope that p includes directly."""
        out = []
        for kind, t in self.includes(p):
            if kind != '"':
                continue
            r = self.resolve(p, t)
            if r and r in self.text:
                out.append(r)
        return out

    def closure(self, p):
        seen, todo = set(), list(self.local_includes(p))
        while todo:
            h = todo.pop()
            if h not in seen:
                seen.add(h)
                todo.extend(self.local_includes(h))
        return seen

    def declarations(self, h):
        return {n for head, body in top_level_items(self.code[h]) if not body
                for n in [declared_name(head)] if n}

    def definitions(self, c):
        names = set()
        for head, body in top_level_items(self.code[c]):
            if re.match(r"\s*static\b", head):
                continue
            if body and "(" in head:
                names.add(declared_name(head))
            elif not body and not re.match(r"\s*extern\b", head):
                names.add(declared_name(head))  # a global variable
        names.discard(None)
        return names

    def file_graph(self):
        """{a.c: {b.c: [(header, name), ...]}} for the .c files."""
        sources = [p for p in self.files if p.suffix == ".c"]
        owner = {}
        for c in sources:
            for n in self.definitions(c):
                owner.setdefault(n, set()).add(c)
        graph = {c: {} for c in sources}
        for a in sources:
            used = set(IDENT_RE.findall(self.code[a]))
            for h in sorted(self.closure(a)):
                for n in sorted(self.declarations(h) & used):
                    for b in owner.get(n, ()):
                        if b != a:
                            graph[a].setdefault(b, []).append((h, n))
        return graph

    def header_graph(self):
        return {h: {i: [] for i in self.local_includes(h)} for h in self.files if h.suffix == ".h"}


def cycles(graph):
    """Strongly connected components with more than one node (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph.get(v, {}):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1 or v in graph.get(v, {}):
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def describe(scope, graph, comp):
    lines = []
    for a in comp:
        for b in comp:
            why = graph[a].get(b)
            if why is not None:
                shown = ", ".join(f"{n} ({scope.rel(h)})" if h else scope.rel(b)
                                  for h, n in why[:4])
                more = f" and {len(why) - 4} more" if len(why) > 4 else ""
                lines.append(f"    {scope.rel(a)} -> {scope.rel(b)}: {shown}{more}")
    return "\n".join(lines)


def public_header_problems(src):
    inc = src / "include"
    out = []
    for h in sorted(inc.rglob("*.h")):
        for kind, t in INCLUDE_RE.findall(h.read_text(errors="replace")):
            if kind == '"':
                ok = (inc / t).is_file() or (h.parent / t).resolve().is_relative_to(inc) and \
                    (h.parent / t).is_file()
            else:
                ok = not t.startswith("pkgauth/") or (inc / t).is_file()
            if not ok:
                out.append(f"{h.relative_to(src)}: includes {kind}{t}"
                           f"{'>' if kind == '<' else kind}, which is not a public or system header")
    return out


def lib_includes_cli(lib, cli_root):
    out = []
    for p in lib.files:
        for kind, t in lib.includes(p):
            r = lib.resolve(p, t) if kind == '"' else None
            if r and r.is_relative_to(cli_root.resolve()):
                out.append(f"src/lib/{lib.rel(p)}: includes {t} of src/cli")
    return out


def read_allow(path):
    allowed = {}
    if path and path.is_file():
        for n, line in enumerate(path.read_text().splitlines(), 1):
            line = line.split("#", 1)[0].strip()
            if line:
                scope, _, files = line.partition(":")
                allowed[(scope.strip(), tuple(sorted(files.split())))] = n
    return allowed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("source_dir", type=Path)
    ap.add_argument("--allow", type=Path)
    args = ap.parse_args()
    src = args.source_dir.resolve()
    allowed = read_allow(args.allow)
    seen_allowed, errors, notes = set(), [], []

    lib = Scope("lib", src / "src" / "lib", [src / "include"])
    cli = Scope("cli", src / "src" / "cli", [src / "src" / "lib", src / "include"])
    for scope in (lib, cli):
        for kind, graph in (("file", scope.file_graph()), ("include", scope.header_graph())):
            for comp in cycles(graph):
                names = tuple(scope.rel(p) for p in comp)
                key = (scope.name, tuple(sorted(names)))
                text = (f"{scope.name}: {kind} cycle among {' '.join(names)}\n"
                        f"{describe(scope, graph, comp)}")
                if key in allowed:
                    seen_allowed.add(key)
                    notes.append(f"allowed (line {allowed[key]} of {args.allow.name}): {text}")
                else:
                    errors.append(text)
    errors += public_header_problems(src)
    errors += lib_includes_cli(lib, src / "src" / "cli")
    for key, line in sorted(allowed.items(), key=lambda kv: kv[1]):
        if key not in seen_allowed:
            errors.append(f"{args.allow}:{line}: '{key[0]}: {' '.join(key[1])}' is no longer "
                          "a cycle: remove that line")
    for n in notes:
        print(n)
    for e in errors:
        print("error: " + e)
    if not errors:
        print(f"layering ok: {len(lib.files)} files in src/lib, {len(cli.files)} in src/cli, "
              f"{len(notes)} allowed cycle(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
