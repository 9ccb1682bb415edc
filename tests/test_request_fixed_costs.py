"""The fixed cost of every page (issue 10's web load): the session read from the cache instead of the database, and
request.user the user itself rather than lazy proxies. Each optimisation with what would go wrong if it gave a stale or
wrong answer: a session ended (logout, new login, changed password) must not live on in the cache, and the user a view
sees must be the session's, with its second factor checked."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from centinela.accounts.demo import DEMO_PASSWORD
from centinela.accounts.models import User

pytestmark = pytest.mark.django_db

LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "fixed-costs"}}


@pytest.fixture
def real_cache(settings):
    """Tests run with a dummy cache (settings.CACHES): these need one that keeps what it is given."""
    from django.core.cache import cache

    settings.CACHES = LOCMEM
    cache.clear()
    yield
    cache.clear()


def _session_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    return response, [q["sql"] for q in ctx.captured_queries if '"django_session"' in q["sql"]]


def _login(username):
    client = Client()
    assert client.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD}).status_code == 302
    return client


def test_a_page_reads_its_session_from_the_cache_not_the_database(real_cache, users):
    client = _login("tecnico")
    response, queries = _session_queries(client, reverse("home"))
    assert response.status_code == 200 and response.context["user"].username == "tecnico"
    assert queries == []


def test_a_session_ended_by_logging_out_is_gone_from_the_cache_too(real_cache, users):
    client = _login("tecnico")
    old = client.cookies["sessionid"].value
    assert client.get(reverse("home")).status_code == 200  # read, and so cached
    assert client.post(reverse("logout")).status_code == 302
    stolen = Client()
    stolen.cookies["sessionid"] = old
    response = stolen.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_new_login_does_not_keep_the_session_before_it(real_cache, users):
    client = Client()
    client.get(reverse("login"))
    client.session.save()
    before = client.cookies["sessionid"].value if "sessionid" in client.cookies else None
    client.post(reverse("login"), {"username": "tecnico", "password": DEMO_PASSWORD})
    after = client.cookies["sessionid"].value
    assert after != before
    if before:
        other = Client()
        other.cookies["sessionid"] = before
        assert other.get(reverse("home")).status_code == 302


def test_a_changed_password_ends_the_other_sessions_though_they_are_cached(real_cache, users):
    elsewhere = _login("tecnico")
    assert elsewhere.get(reverse("home")).status_code == 200  # cached
    user = User.objects.get(username="tecnico")
    user.set_password("Otra-clave-2026!")
    user.save()
    response = elsewhere.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_deactivated_account_is_logged_out_though_its_session_is_cached(real_cache, users):
    client = _login("tecnico")
    assert client.get(reverse("home")).status_code == 200
    User.objects.filter(username="tecnico").update(is_active=False)
    assert client.get(reverse("home")).status_code == 302


def test_a_session_missing_from_the_cache_is_read_from_the_database(real_cache, users):
    from django.core.cache import cache

    client = _login("tecnico")
    cache.clear()  # culled, or the cache emptied: the database is the record
    response, queries = _session_queries(client, reverse("home"))
    assert response.status_code == 200 and response.context["user"].username == "tecnico"
    assert len(queries) == 1


def test_views_get_the_user_itself_loaded_with_its_second_factor_state(client_for):
    response = client_for("directora").get(reverse("home"))
    user = response.wsgi_request.user
    assert type(user) is User and user.username == "directora"  # not a lazy proxy
    assert user.is_verified() is False and user.otp_device is None  # django-otp's fields, set as before
    anonymous = Client().get(reverse("activities:training_verify")).wsgi_request.user
    assert isinstance(anonymous, AnonymousUser)


def test_an_unverified_session_of_an_account_with_a_second_factor_is_still_stopped(users):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = _login("tecnico")
    assert client.get(reverse("home")).status_code == 200
    TOTPDevice.objects.create(user=User.objects.get(username="tecnico"), name="TOTP", confirmed=True)
    response = client.get(reverse("home"))  # the session has not given a code: the device is seen at once
    assert response.status_code == 302 and response["Location"].startswith(reverse("second_factor_verify"))


@pytest.mark.parametrize("devices", [[], [False], [True], [False, True], [True, True]])
def test_has_second_factor_answers_as_the_orm_query(users, devices):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from centinela.accounts.services import has_second_factor

    tecnico, directora = users["tecnico"], users["directora"]
    for confirmed in devices:
        TOTPDevice.objects.create(user=tecnico, name="TOTP", confirmed=confirmed)
    TOTPDevice.objects.create(user=directora, name="TOTP", confirmed=True)  # someone else's counts for nobody else
    for user in (tecnico, directora, User(username="unsaved")):
        expected = user.pk is not None and TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        assert has_second_factor(user) is expected, (user.username, devices)


def test_the_backend_reads_the_same_user_as_the_orm(users):
    from django.contrib.auth.backends import ModelBackend as DjangoBackend

    from centinela.accounts.backends import ModelBackend

    ours, django = ModelBackend(), DjangoBackend()
    for user in User.objects.all():
        a, b = ours.get_user(user.pk), django.get_user(user.pk)
        assert type(a) is type(b) is User
        assert {f.attname: getattr(a, f.attname) for f in User._meta.concrete_fields} == {
            f.attname: getattr(b, f.attname) for f in User._meta.concrete_fields
        }
        assert a._state.db == b._state.db and a._state.adding is b._state.adding is False
        assert not a.get_deferred_fields()
    assert ours.get_user(10**9) is None


def test_the_backend_refuses_a_deactivated_user_and_sees_a_new_password(users):
    from centinela.accounts.backends import ModelBackend

    user = users["tecnico"]
    hash_before = ModelBackend().get_user(user.pk).get_session_auth_hash()
    user.set_password("Otra-clave-2026!")
    user.save()
    assert ModelBackend().get_user(user.pk).get_session_auth_hash() != hash_before
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert ModelBackend().get_user(user.pk) is None


def _verified_admin():
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    admin = User.objects.get(username="admin")
    device = TOTPDevice.objects.create(user=admin, name="TOTP", confirmed=True)
    client = Client()
    client.force_login(admin)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client, device


def test_the_session_device_is_read_as_django_otp_reads_it(users):
    from django_otp.models import Device

    from centinela.accounts.middleware import OTPMiddleware

    client, device = _verified_admin()
    response = client.get(reverse("home"))
    assert response.status_code == 200
    user = response.wsgi_request.user
    assert user.is_verified() and user.otp_device == device
    ours = OTPMiddleware(lambda r: None)._device_from_persistent_id(device.persistent_id)
    theirs = Device.from_persistent_id(device.persistent_id)
    assert type(ours) is type(theirs) and {f.attname: getattr(ours, f.attname) for f in type(ours)._meta.fields} == {
        f.attname: getattr(theirs, f.attname) for f in type(theirs)._meta.fields
    }
    for odd in ("otp_totp.totpdevice/x", "otp_totp.totpdevice/999999", "nothing", "otp_static.staticdevice/1"):
        assert OTPMiddleware(lambda r: None)._device_from_persistent_id(odd) == Device.from_persistent_id(odd)


@pytest.mark.parametrize("change", ["deleted", "unconfirmed", "another user's"])
def test_a_device_removed_or_changed_ends_the_verification_at_once(users, change):
    client, device = _verified_admin()
    assert client.get(reverse("home")).status_code == 200
    if change == "deleted":
        device.delete()
    elif change == "unconfirmed":
        device.confirmed = False
        device.save()
    else:
        device.user = users["tecnico"]
        device.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("second_factor"))
