from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "centinela.accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from auditlog.registry import auditlog

        from centinela.accounts.models import User
        from centinela.accounts.permissions import can_see_personal_data
        from centinela.lib import search
        from centinela.lib.menu import register_right

        # the page of data-protection requests (accounts.data_requests), for those who may see personal data
        register_right("can_answer_data_requests", can_see_personal_data)

        search.connect()  # every list's search folds accents with one SQLite function on each new connection

        auditlog.register(User, exclude_fields=["password", "last_login"], mask_fields=["phone", "cedula"])
