from django import forms
from django.utils.translation import gettext_lazy as _

FORMAT_CHOICES = [("html", _("Web page")), ("docx", _("Word (DOCX)")), ("pdf", "PDF")]


class AnnualReportForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    format = forms.ChoiceField(label=_("Format"), choices=FORMAT_CHOICES, initial="html")

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in years]
        if years:
            self.fields["year"].initial = years[0]
