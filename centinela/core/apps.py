from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The front door: the home page and the site-wide commands (load_demo, backup, restore). It sits on top of the
    domain apps and may import any of them; no domain app imports it (the helpers they share are in lib)."""

    name = "centinela.core"

    def ready(self):
        _admin_yes_no_icons_in_the_users_language()


def _admin_yes_no_icons_in_the_users_language():
    """The Django admin's yes/no icons carry alt="True"/"False"/"None" in English whatever the language (its
    `_boolean_icon` formats the Python value). The admin looks the function up in its module each time, so the one
    replaced here, with the alt text translated, serves every list and detail page (issue 13, item 1)."""
    from django.contrib.admin.templatetags import admin_list
    from django.templatetags.static import static
    from django.utils.html import format_html
    from django.utils.translation import gettext

    def boolean_icon(field_val):
        icon, text = {
            True: ("yes", gettext("Yes")),
            False: ("no", gettext("No")),
            None: ("unknown", gettext("Unknown")),
        }[field_val]
        return format_html('<img src="{}" alt="{}">', static(f"admin/img/icon-{icon}.svg"), text)

    admin_list._boolean_icon = boolean_icon
