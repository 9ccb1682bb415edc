"""Plan, programmes, activities, evidence, calendar, map and the plan dashboard (being written)."""
from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse(status=501)


activity_list = activity_create = activity_detail = activity_edit = evidence_upload = evidence_file = _todo
activity_import = calendar = activity_map = plan_list = plan_detail = programme_detail = _todo
