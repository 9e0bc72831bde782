#!/usr/bin/env python3
"""Check that the relative Markdown links of the documentation resolve inside the repository.

Checked files: README.md and CHANGELOG.md at the root, and every *.md under docs/, synth/ and
examples/ (directories named build* and .git are skipped). Every link [text](target) or
[text](target#anchor), image links and reference definitions ([label]: target) included, must
name a file or directory inside the repository. Links with a scheme (http://, https://, mailto:,
...) and pure #anchor links are not checked; neither is text inside code spans or fenced code
blocks. A target starting with "/" is taken from the repository root.

Usage: ci/check_links.py [ROOT]      ROOT defaults to the repository holding this script
       ci/check_links.py --self-test proves on a temporary tree that a broken link is reported
Exit status: 0 all links resolve, 1 a link is broken (each printed as FILE:LINE: broken link
'target'), 2 usage error.
"""

import os
import re
import subprocess
import sys
import tempfile
import urllib.parse

TOP_FILES = ("README.md", "CHANGELOG.md")
TOP_DIRS = ("docs", "synth", "examples")

INLINE_LINK = re.compile(r"\]\(\s*(<[^>]*>|[^)\s]*)(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)")
REFERENCE_DEF = re.compile(r"^ {0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)")
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
CODE_SPAN = re.compile(r"(`+)(.+?)\1")
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def skip_dir(name):
    return name == ".git" or name.startswith("build")


def markdown_files(root):
    """The files to check, as paths relative to root, sorted."""
    found = [name for name in TOP_FILES if os.path.isfile(os.path.join(root, name))]
    for top in TOP_DIRS:
        base = os.path.join(root, top)
        if not os.path.isdir(base):
            continue
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = sorted(d for d in dirnames if not skip_dir(d))
            for name in sorted(filenames):
                if name.endswith(".md"):
                    found.append(os.path.relpath(os.path.join(dirpath, name), root))
    return sorted(set(found))


def link_targets(text):
    """(line number, target) for every link in a Markdown text, outside code."""
    fence = None
    for number, line in enumerate(text.splitlines(), start=1):
        m = FENCE.match(line)
        if fence is not None:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence):
                fence = None
            continue
        if m:
            fence = m.group(1)
            continue
        line = CODE_SPAN.sub(lambda s: " " * len(s.group(0)), line)
        for m in INLINE_LINK.finditer(line):
            yield number, m.group(1)
        m = REFERENCE_DEF.match(line)
        if m:
            yield number, m.group(1)


def is_inside(path, root):
    path, root = os.path.realpath(path), os.path.realpath(root)
    return path == root or path.startswith(root + os.sep)


def broken_links(root):
    """(file, line, target) for every broken link, and the counts of links and files."""
    broken, links = [], 0
    files = markdown_files(root)
    for rel in files:
        with open(os.path.join(root, rel), encoding="utf-8", errors="replace") as f:
            text = f.read()
        for line, target in link_targets(text):
            target = target.strip("<>")
            if not target or target.startswith("#") or SCHEME.match(target):
                continue
            links += 1
            path = urllib.parse.unquote(target.split("#", 1)[0].split("?", 1)[0])
            if path.startswith("/"):
                full = os.path.join(root, path.lstrip("/"))
            else:
                full = os.path.join(root, os.path.dirname(rel), path)
            if not (is_inside(full, root) and os.path.exists(full)):
                broken.append((rel, line, target))
    return broken, links, len(files)


def check(root):
    broken, links, files = broken_links(root)
    for rel, line, target in broken:
        print(f"{rel}:{line}: broken link '{target}'")
    if broken:
        print(f"links: {len(broken)} of {links} links in {files} files do not resolve", file=sys.stderr)
        return 1
    print(f"links: {links} links in {files} files, all resolve")
    return 0


def self_test():
    """Run this script on a tree with one broken link and on the same tree repaired."""
    script = os.path.abspath(__file__)
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        root = os.path.join(tmp, "repo")
        os.makedirs(os.path.join(root, "docs"))
        os.makedirs(os.path.join(root, "build", "docs"))
        with open(os.path.join(tmp, "outside.md"), "w", encoding="utf-8") as f:
            f.write("# outside the repository\n")
        with open(os.path.join(root, "docs", "GOOD.md"), "w", encoding="utf-8") as f:
            f.write("# good\n\n[back](../README.md#top) [web](https://example.org/x.md)\n")
        with open(os.path.join(root, "build", "docs", "IGNORED.md"), "w", encoding="utf-8") as f:
            f.write("[not checked](nowhere.md)\n")
        readme = os.path.join(root, "README.md")

        def write_readme(extra):
            with open(readme, "w", encoding="utf-8") as f:
                f.write("# t\n\n[good](docs/GOOD.md) [dir](docs/) [anchor](#t)\n"
                        "`[in code](missing_in_code.md)`\n```\n[in a fence](missing_in_fence.md)\n```\n" + extra)

        def run():
            p = subprocess.run([sys.executable, script, root], capture_output=True, text=True)
            return p.returncode, p.stdout

        write_readme("[broken](docs/MISSING.md#x)\n[escapes](../outside.md)\n")
        rc, out = run()
        expected = ["README.md:8: broken link 'docs/MISSING.md#x'", "README.md:9: broken link '../outside.md'"]
        if rc != 1:
            failures.append(f"broken tree: exit status {rc}, expected 1")
        if out.splitlines() != expected:
            failures.append(f"broken tree: printed {out.splitlines()!r}, expected {expected!r}")

        write_readme("")
        rc, out = run()
        if rc != 0 or not out.startswith("links: 3 links in 2 files, all resolve"):
            failures.append(f"good tree: exit status {rc}, printed {out!r}; expected 0 and 3 links in 2 files")
    for failure in failures:
        print(f"self-test: FAIL {failure}")
    if failures:
        return 1
    print("self-test: PASS (a broken link and a link leaving the tree are reported with exit 1; the good tree passes)")
    return 0


def main(argv):
    if len(argv) > 1 or (argv and argv[0] in ("-h", "--help")):
        print(__doc__.strip(), file=sys.stderr if len(argv) > 1 else sys.stdout)
        return 2 if len(argv) > 1 else 0
    if argv and argv[0] == "--self-test":
        return self_test()
    root = argv[0] if argv else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    if not os.path.isdir(root):
        print(f"check_links: '{root}' is not a directory", file=sys.stderr)
        return 2
    return check(os.path.abspath(root))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
