"""The README is true to the code (as sqlite-utils' tests/test_docs.py keeps its docs true).

Checked: the commands table lists every command and no other; every option
of every `kg …` line the README shows exists on that command; the quoted
`kg --help` is the real one; the exit codes table is the CLI's; the layout
names every module; the Python API example runs.
"""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from kg.cli import EXIT_CODES_HELP, cli

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    start = README.index(f"\n## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start : end if end > 0 else len(README)]


def _command_lines() -> list[list[str]]:
    """Every `kg …` command the README shows, as argv (table cells and indented examples)."""
    lines = re.findall(r"^ {4}(?:\.venv/bin/)?(kg [^#\n]*)", README, re.M)
    lines += [cell.replace("\\|", "|") for cell in re.findall(r"^\| `(kg [^`]*)`", README, re.M)]
    out = []
    for line in lines:
        line = re.sub(r"\s+&\s*$", "", line.strip())
        out.append(shlex.split(line.split(" | ")[0] if "QUERY |" in line else line))
    return out


def test_commands_table_lists_every_command() -> None:
    table = set(re.findall(r"^\| `kg (\w+)", _section("Commands"), re.M))
    table |= set(re.findall(r"`kg (\w+)`", _section("Commands")))
    assert table == set(cli.commands)


def _options(command: click.Command) -> set[str]:
    names = {"--help"}
    for param in command.params:
        names.update(o for o in [*param.opts, *param.secondary_opts] if o.startswith("-"))
    return names


def test_every_option_the_readme_shows_exists() -> None:
    lines = _command_lines()
    assert len(lines) > 20
    for argv in lines:
        assert argv[0] == "kg"
        if argv[1].startswith("-"):
            continue  # kg --help, kg --version
        command = cli.commands.get(argv[1])
        assert command is not None, argv
        known = _options(command)
        for word in argv[2:]:
            option = word.split("=", 1)[0]
            if re.fullmatch(r"--?[A-Za-z][\w-]*", option):
                assert option in known, (argv, option)


def test_quoted_help_is_the_real_one() -> None:
    quoted = re.search(r"`kg --help`:\n\n```text\n(.*?)```", README, re.S)
    assert quoted is not None
    result = CliRunner().invoke(cli, ["--help"], prog_name="kg", terminal_width=80)
    assert result.exit_code == 0
    assert result.output == quoted.group(1)


def test_exit_codes_table_is_the_clis() -> None:
    table = dict(re.findall(r"^\| (\d) \| ([^|]+) \|$", _section("Commands"), re.M))
    cli_codes = dict(re.findall(r"^  (\d)  (.+)$", EXIT_CODES_HELP, re.M))
    assert set(table) == set(cli_codes) == {"0", "1", "2", "3", "4"}
    for code, meaning in cli_codes.items():
        # the README may say more, never something else
        assert table[code].startswith(meaning.split(" (")[0]), code


def test_layout_names_every_module() -> None:
    layout = _section("Layout")
    modules = {p.name for p in (ROOT / "kg").glob("*.py")}
    packages = {p.name + "/" for p in (ROOT / "kg").iterdir() if (p / "__init__.py").exists()}
    for name in sorted(modules | packages):
        assert f"kg/{name}" in layout, name


@pytest.mark.slow
def test_python_api_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code = re.search(r"```python\n(.*?)```", _section("Python API"), re.S)
    assert code is not None
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    scope: dict[str, object] = {}
    exec(compile(code.group(1), "README.md", "exec"), scope)  # noqa: S102
    assert scope["result"].statements > 0  # type: ignore[attr-defined]
    assert scope["facts"].rows  # type: ignore[attr-defined]
    assert scope["sure"].rows  # type: ignore[attr-defined]
    assert (tmp_path / "my-store").is_dir()
