#!/usr/bin/env python3
"""Refreshes the example outputs in README.md from real runs.

Every block of the form

    <!-- run: ./heft inspect examples/tiny-llama-Q4_K_M.gguf -->
    ```text
    ...
    ```

gets its fenced block replaced by what the command prints now (stdout and stderr, trimmed to --max-lines). Run it
from the repository root after changing any output: `python3 scripts/update-readme.py`.
"""
import re
import subprocess
import sys

MARK = re.compile(r"<!-- run: (.+?)(?: \| head -(\d+))? -->\n```text\n.*?```", re.S)


def refresh(match):
    cmd, head = match.group(1), match.group(2)
    out = subprocess.run(cmd, shell=True, capture_output=True, text=True)
    text = (out.stdout + out.stderr).rstrip("\n")
    text = "\n".join(l for l in text.split("\n") if not l.startswith("heft: building the CLI"))
    if head:
        lines = text.split("\n")
        if len(lines) > int(head):
            text = "\n".join(lines[: int(head)] + ["..."])
    suffix = f" | head -{head}" if head else ""
    return f"<!-- run: {cmd}{suffix} -->\n```text\n$ {cmd}\n{text}\n```"


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "README.md"
    src = open(path).read()
    new = MARK.sub(refresh, src)
    open(path, "w").write(new)


if __name__ == "__main__":
    main()
