from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from centinela.partners.models import AgreementWarning
from centinela.partners.services import send_expiry_warnings
from centinela.partners.tests import factories as f

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def expiring(police):
    return f.agreement(
        "CONV-PN-01",
        police,
        signed_on=TODAY - timedelta(days=300),
        valid_until=TODAY + timedelta(days=50),
        warn_days=60,
    )


def run(today, **kwargs):
    call_command("warn_expiring_agreements", "--today", today.isoformat(), **kwargs)


def test_administrators_and_the_director_are_warned_once_per_threshold(expiring):
    run(TODAY, base_url="https://centinela.example.org")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert set(message.to) == {"admin@centinela.invalid", "directora@centinela.invalid"}
    assert message.subject == "Centinela: el convenio CONV-PN-01 vence en 50 días"
    assert (
        "Policía Nacional" in message.body
        and f"https://centinela.example.org/socios/convenios/{expiring.pk}/" in message.body
    )
    run(TODAY)
    run(TODAY + timedelta(days=5))  # still in the same (60-day) period: nothing new
    assert len(mail.outbox) == 1
    run(TODAY + timedelta(days=21))  # 29 days left: the 30-day warning
    run(TODAY + timedelta(days=44))  # 6 days left: the 7-day warning
    run(TODAY + timedelta(days=45))
    assert [m.subject.rsplit(" ", 2)[-2] for m in mail.outbox] == ["50", "29", "6"]
    assert list(AgreementWarning.objects.order_by("sent_at").values_list("threshold_days", flat=True)) == [60, 30, 7]


def test_a_missed_day_sends_only_the_latest_threshold(expiring):
    sent = send_expiry_warnings(TODAY + timedelta(days=45))  # first run with 5 days left
    assert [w.threshold_days for w in sent] == [7] and len(mail.outbox) == 1


def test_a_renewed_agreement_is_warned_again(expiring):
    send_expiry_warnings(TODAY)
    expiring.valid_until = TODAY + timedelta(days=40)  # the end date moved: a new period
    expiring.save()
    assert [w.threshold_days for w in send_expiry_warnings(TODAY)] == [60]
    assert len(mail.outbox) == 2


def test_agreements_far_from_their_end_expired_or_open_ended_are_not_warned(police):
    f.agreement("CONV-LEJOS", police, signed_on=TODAY - timedelta(days=10), valid_until=TODAY + timedelta(days=61))
    f.agreement("CONV-VENCIDO", police, signed_on=TODAY - timedelta(days=400), valid_until=TODAY - timedelta(days=1))
    f.agreement("CONV-SIN-FIN", police, signed_on=TODAY - timedelta(days=400))
    assert send_expiry_warnings(TODAY) == [] and mail.outbox == []


def test_the_last_day_says_today_and_one_day_is_singular(police):
    f.agreement("CONV-HOY", police, signed_on=TODAY - timedelta(days=10), valid_until=TODAY, warn_days=10)
    f.agreement(
        "CONV-MANANA", police, signed_on=TODAY - timedelta(days=10), valid_until=TODAY + timedelta(days=1), warn_days=10
    )
    send_expiry_warnings(TODAY)
    assert sorted(m.subject for m in mail.outbox) == [
        "Centinela: el convenio CONV-HOY vence hoy",
        "Centinela: el convenio CONV-MANANA vence en 1 día",
    ]


def test_nothing_is_sent_or_recorded_without_recipients(expiring, users, capsys):
    from centinela.accounts.models import User

    User.objects.filter(username__in=["admin", "directora"]).update(email="")
    run(TODAY)
    assert mail.outbox == [] and not AgreementWarning.objects.exists()
    assert "nothing sent" in capsys.readouterr().err
