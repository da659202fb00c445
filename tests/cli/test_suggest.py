"""A mistyped option names its subcommand and the option meant."""

from __future__ import annotations

from leannet.cli import main


def test_mistyped_option_names_the_subcommand_and_suggests(capsys):
    assert main(["train", "--data", "iris", "--hiden", "4"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("leannet train: error: unrecognized arguments: --hiden")
    assert "(did you mean --hidden?)" in err and len(err.splitlines()) == 1


def test_unrelated_argument_gets_no_suggestion(capsys):
    assert main(["predict", "m", "--data", "d", "--out", "o", "--zzzzzz"]) == 2
    err = capsys.readouterr().err
    assert "leannet predict: error: unrecognized arguments: --zzzzzz (see" in err


def test_demo_help_states_the_seed_defaults_the_demos_use(capsys):
    import re

    from leannet.lab.demos import l1, overfit

    assert main(["demo", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    for module, full, quick in ((overfit, 8, 2), (l1, 3, 1)):
        source = open(module.__file__).read()
        assert f"ctx.seeds or ({quick} if ctx.quick else {full})" in source
        assert re.search(rf"{module.NAME}: default {full}, --quick {quick}", text)
