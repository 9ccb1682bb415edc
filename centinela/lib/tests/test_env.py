"""lib/env.py: settings read from the environment: a missing or empty variable gives the default, booleans accept
1/true/yes/on in any case and spacing, integers are read or refused, lists drop empty items and spaces."""

import pytest

from centinela.lib.env import env_bool, env_int, env_list, env_str


@pytest.mark.parametrize("value", ["1", "true", "TRUE", " yes ", "On"])
def test_true_values(monkeypatch, value):
    monkeypatch.setenv("CENTINELA_TEST_FLAG", value)
    assert env_bool("CENTINELA_TEST_FLAG") is True


@pytest.mark.parametrize("value", ["0", "false", "no", "off", "nope", "2"])
def test_anything_else_is_false_even_when_the_default_is_true(monkeypatch, value):
    monkeypatch.setenv("CENTINELA_TEST_FLAG", value)
    assert env_bool("CENTINELA_TEST_FLAG", True) is False


def test_missing_or_empty_variables_give_the_default(monkeypatch):
    monkeypatch.delenv("CENTINELA_TEST_VAR", raising=False)
    assert env_bool("CENTINELA_TEST_VAR", True) is True and env_int("CENTINELA_TEST_VAR", 7) == 7
    assert env_str("CENTINELA_TEST_VAR", "x") == "x" and env_list("CENTINELA_TEST_VAR", "a,b") == ["a", "b"]
    monkeypatch.setenv("CENTINELA_TEST_VAR", "")
    assert env_bool("CENTINELA_TEST_VAR", True) is True and env_int("CENTINELA_TEST_VAR", 7) == 7
    assert env_str("CENTINELA_TEST_VAR", "x") == "" and env_list("CENTINELA_TEST_VAR", "a,b") == []


def test_integers_are_read_or_refused(monkeypatch):
    monkeypatch.setenv("CENTINELA_TEST_VAR", "300")
    assert env_int("CENTINELA_TEST_VAR", 1) == 300
    monkeypatch.setenv("CENTINELA_TEST_VAR", "trescientos")
    with pytest.raises(ValueError):
        env_int("CENTINELA_TEST_VAR", 1)


def test_lists_drop_spaces_and_empty_items(monkeypatch):
    monkeypatch.setenv("CENTINELA_TEST_VAR", " centinela.example.org, ,localhost ,,")
    assert env_list("CENTINELA_TEST_VAR") == ["centinela.example.org", "localhost"]
