"""Every page needs a login except those marked public with `login_not_required`. The API (under /api/)
authenticates each endpoint itself (session or token) and answers 401 instead of redirecting."""
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired


class LoginRequiredMiddleware(DjangoLoginRequired):
    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
