from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from centinela.accounts.models import ApiToken, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "institution", "parish", "is_active"]
    list_filter = ["role", "institution", "parish", "is_active"]
    fieldsets = DjangoUserAdmin.fieldsets + (
        ("Centinela", {"fields": ["role", "institution", "parish", "phone", "cedula"]}),
    )
    add_fieldsets = DjangoUserAdmin.add_fieldsets + (("Centinela", {"fields": ["role", "institution", "parish"]}),)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at"]
    readonly_fields = ["key_hash", "prefix", "created_at", "last_used_at"]


# Second factors are managed on Centinela's own pages (enrolment by their owner, a reset by an administrator, both
# audited); the Django admin would show any device's secret to any administrator.
def _unregister_otp_devices():
    from django.contrib.admin.exceptions import NotRegistered
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    for model in (TOTPDevice, StaticDevice):
        try:
            admin.site.unregister(model)
        except NotRegistered:
            pass


_unregister_otp_devices()
