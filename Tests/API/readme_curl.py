"""The README's `sh api` blocks against a live server (run by scripts/api-test).

Each command (a trailing backslash joins the next line) runs in bash with WAGEWATCH_URL and TOKEN
from the environment; every `# →` line under a command must appear in what it printed. Exits 1
on the first command that fails either way, 0 when all ran; fewer than MINIMUM commands is a
failure too, so an edit of the README cannot switch the test off."""
import os
import re
import subprocess
import sys

MINIMUM = 5


def commands(markdown):
    found, block, pending = [], None, None
    for number, raw in enumerate(markdown.split("\n"), start=1):
        line = raw.strip()
        if block is None:
            if re.fullmatch(r"```+\s*sh api\s*", line):
                block = line[: len(line) - len(line.lstrip("`"))]
            continue
        if line.startswith(block) and set(line) == {"`"}:
            block = None
            continue
        if line.endswith("\\"):
            part = line[:-1].strip()
            pending = (pending[0], pending[1] + " " + part) if pending else (number, part)
            continue
        start, text = (pending[0], pending[1] + " " + line) if pending else (number, line)
        pending = None
        if not text:
            continue
        if text.startswith("# →"):
            if not found:
                sys.exit(f"README.md:{start}: `# →` follows no command")
            found[-1][2].append(text[len("# →"):].strip())
        elif not text.startswith("#"):
            found.append((start, text, []))
    return found


def main():
    readme = open(os.path.join(os.path.dirname(__file__), "..", "..", "README.md"), encoding="utf-8").read()
    steps = commands(readme)
    if len(steps) < MINIMUM:
        sys.exit(f"only {len(steps)} `sh api` commands in README.md (at least {MINIMUM} expected)")
    for line, text, expected in steps:
        result = subprocess.run(["bash", "-c", text], capture_output=True, text=True, timeout=60)
        output = result.stdout + result.stderr
        if result.returncode != 0:
            sys.exit(f"README.md:{line}: `{text}` exited {result.returncode}:\n{output[-600:]}")
        for want in expected:
            if want not in output:
                sys.exit(f"README.md:{line}: `{text}` did not print “{want}”:\n{output[:800]}")
        print(f"README.md:{line}: ok ({len(expected)} check(s))")
    print(f"{len(steps)} README API command(s) ran")


if __name__ == "__main__":
    main()
