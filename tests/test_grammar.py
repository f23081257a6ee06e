"""The English msgen writes around profile values reads as a UK public body writes it."""

import pytest

from msgen.document import grammar


@pytest.mark.parametrize("items, expected", [
    ([], ""),
    (["SP"], "SP"),
    (["SCO", "SP"], "SCO and SP"),
    (["SCO", "SP", "SFRS"], "SCO, SP and SFRS"),
])
def test_lists_read_a_b_and_c_without_an_oxford_comma(items, expected):
    assert grammar.join_and(items) == expected


@pytest.mark.parametrize("iso, words", [
    ("2020-11-26", "26 November 2020"),
    ("2022-10-04", "4 October 2022"),
    ("2024-02-29", "29 February 2024"),
])
def test_dates_read_day_month_year_without_leading_zero(iso, words):
    assert grammar.long_date(iso) == words


def test_reporting_period_in_words():
    assert grammar.period_words("2022-04-01", "2023-03-31") == "1 April 2022 to 31 March 2023"


def test_financial_year_is_written_with_a_slash():
    assert grammar.fy_slash("2021-22") == "2021/22"


def test_numbers_have_thousands_separators():
    assert grammar.thousands(1750) == "1,750"
    assert grammar.thousands(1_100_000) == "1,100,000"
    assert grammar.thousands(33) == "33"


@pytest.mark.parametrize("pounds, words", [
    (190_500_000, "£190.5 million"),
    (36_000_000, "£36 million"),
    (190_540_000, "£190.5 million"),
    (1_250_000_000, "£1.25 billion"),
    (999_970_000, "£1 billion"),
    (950_000, "£950,000"),
])
def test_budgets_read_in_millions(pounds, words):
    assert grammar.budget_words(pounds) == words


@pytest.mark.parametrize("number, words", [
    (1, "first"), (3, "third"), (10, "tenth"), (11, "11th"), (12, "12th"),
    (13, "13th"), (21, "21st"), (22, "22nd"), (23, "23rd"), (111, "111th"),
])
def test_ordinals(number, words):
    assert grammar.ordinal_words(number) == words


@pytest.mark.parametrize("base, singular, plural", [
    ("be", "is", "are"), ("have", "has", "have"), ("do", "does", "do"),
    ("publish", "publishes", "publish"), ("assess", "assesses", "assess"),
    ("work", "works", "work"), ("carry", "carries", "carry"), ("employ", "employs", "employ"),
])
def test_verbs_agree_with_a_singular_or_joint_subject(base, singular, plural):
    assert grammar.verb_form(base, plural=False) == singular
    assert grammar.verb_form(base, plural=True) == plural


def test_possessive_and_sentence_start():
    assert grammar.possessive("the Constabulary") == "the Constabulary’s"
    assert grammar.possessive("SCO, SP and SFRS") == "SCO, SP and SFRS’s"
    assert grammar.possessive("the Services") == "the Services’"
    assert grammar.capitalise_first("the Force") == "The Force"
    assert grammar.capitalise_first("SP") == "SP"


@pytest.mark.parametrize("text, stop", [
    ("Not applicable to our operations", "."),
    ("We do not buy goods.", ""),
    ("See the annex!", ""),
])
def test_a_verbatim_reason_ends_with_exactly_one_full_stop(text, stop):
    assert grammar.full_stop_after(text) == stop


@pytest.mark.parametrize("name, mid_sentence", [
    ("Office of the Police and Crime Commissioner for Norfolk", "the Office of the Police and Crime Commissioner for Norfolk"),
    ("Police and Crime Commissioner for Nottinghamshire", "the Police and Crime Commissioner for Nottinghamshire"),
    ("Norfolk Constabulary", "Norfolk Constabulary"),
    ("Police Scotland", "Police Scotland"),
    ("Staffordshire Commissioner's Office", "Staffordshire Commissioner's Office"),
])
def test_a_title_like_body_name_takes_the_mid_sentence(name, mid_sentence):
    assert grammar.with_article(name) == mid_sentence
