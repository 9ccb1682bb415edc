"""The public form's question (participation.challenge): asked in words, answered in numbers, checked with nothing
outside the server; a wrong, missing, forged, expired or replayed answer is refused with a Spanish message and a new
question, and nothing is saved."""

import re

import pytest

from centinela.participation import challenge
from centinela.participation.models import Report

from .conftest import solve, solved, solved_on

URL = "/participa/reportar/"


def form(categories, point, **extra):
    return {
        "category": categories["alumbrado-deficiente"].pk,
        "lon": point[0],
        "lat": point[1],
        "description": "Poste sin luz en la esquina",
        **extra,
    }


def refused(client, data, message):
    response = client.post(URL, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert Report.objects.count() == 0
    return page


def test_the_page_asks_a_sum_in_spanish_words_without_the_numbers_in_the_page_source(client, categories):
    page = client.get(URL).content.decode()
    question = re.search(r'<span id="challenge-question">([^<]+)</span>', page).group(1)
    assert re.fullmatch(r"¿Cuánto es \w+ más \w+\?", question), question
    assert not re.search(r"\d", question)
    token = re.search(r'name="challenge_token" value="([^"]+)"', page).group(1)
    # the token holds a random nonce, a keyed hash, a timestamp and a signature: not the numbers nor the answer
    nonce, digest, _stamp, _signature = token.split(":")
    assert len(nonce) == 16 and re.fullmatch(r"[0-9a-f]{64}", digest)


def test_a_person_who_answers_files_the_report(client, categories, sagrario_point):
    page = client.get(URL).content.decode()
    assert client.post(URL, form(categories, sagrario_point, **solved_on(page))).status_code == 302
    assert Report.objects.count() == 1


def test_a_wrong_answer_is_refused_and_a_new_question_asked(client, categories, sagrario_point):
    page = client.get(URL).content.decode()
    answered = solved_on(page)
    answered["challenge_answer"] = str(int(answered["challenge_answer"]) + 1)
    again = refused(client, form(categories, sagrario_point, **answered), "Esa no es la respuesta")
    assert solved_on(again)["challenge_token"] != answered["challenge_token"]
    assert "Poste sin luz en la esquina" in again  # what the resident wrote is kept


@pytest.mark.parametrize(
    "change, message",
    [
        ({"challenge_answer": ""}, "Responda la pregunta, en números."),
        ({"challenge_answer": "dos"}, "Esa no es la respuesta"),
        ({"challenge_token": "forjado:abc"}, "Responda la pregunta otra vez."),
    ],
)
def test_a_missing_non_numeric_or_forged_answer_is_refused(client, categories, sagrario_point, change, message):
    refused(client, form(categories, sagrario_point, **{**solved(), **change}), message)


def test_a_forged_token_for_an_answer_of_ones_own_choosing_is_refused(client, categories, sagrario_point):
    real = solved()
    nonce_and_digest, _sep, stamp_and_signature = real["challenge_token"].partition(":")
    forged = f"{nonce_and_digest}:{'0' * 64}:{stamp_and_signature.split(':', 1)[-1]}"
    refused(client, form(categories, sagrario_point, challenge_token=forged, challenge_answer="2"), "Responda")


def test_an_expired_question_is_refused(client, settings, categories, sagrario_point):
    answered = solved()
    settings.PARTICIPATION_CHALLENGE_SECONDS = -1
    refused(client, form(categories, sagrario_point, **answered), "La pregunta caducó")


def test_an_answered_question_cannot_be_used_again(client, cache_on, categories, sagrario_point):
    answered = solved()
    assert client.post(URL, form(categories, sagrario_point, **answered)).status_code == 302
    response = client.post(URL, form(categories, sagrario_point, **answered))
    assert response.status_code == 400
    assert "Esa pregunta ya fue respondida" in response.content.decode()
    assert Report.objects.count() == 1


def test_the_check_itself_refuses_every_bad_answer():
    asked = challenge.new()
    right = solve(asked.question)
    for wrong in ("", "x", str(right + 1), "-1"):
        with pytest.raises(challenge.Failed):
            challenge.check(asked.token, wrong)
    challenge.check(asked.token, str(right))
