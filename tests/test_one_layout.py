"""The layout every app follows ("One layout for every app" in docs/architecture.md), checked where a machine can:
no form or formset is defined in a view module (forms live in `forms.py` or the app's `forms/` package), and no app
keeps its templates under the shared `centinela/templates/<app>/` (they live in the app's own `templates/<app>/`)."""

import ast
import importlib
import types
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.forms import BaseForm
from django.forms.formsets import BaseFormSet

ROOT = Path(__file__).resolve().parent.parent
CODE = ROOT / "centinela"


def view_modules() -> list[str]:
    """Every view module of the code: `views.py` and the modules of a `views/` package, tests aside."""
    paths = [*CODE.rglob("views.py"), *CODE.rglob("views/*.py")]
    names = set()
    for path in paths:
        relative = path.relative_to(ROOT).with_suffix("")
        if "tests" in relative.parts:
            continue
        parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
        names.add(".".join(parts))
    return sorted(names)


def forms_defined_in(module: types.ModuleType, source: str) -> list[str]:
    """The names the module itself binds at its top level (a class statement or an assignment, not an import) to a
    form or formset class."""
    bound = []
    for node in ast.parse(source).body:
        if isinstance(node, ast.ClassDef):
            bound.append(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            bound += [t.id for t in targets if isinstance(t, ast.Name)]
    found = []
    for name in bound:
        value = getattr(module, name, None)
        if isinstance(value, type) and issubclass(value, BaseForm | BaseFormSet):
            found.append(name)
    return found


def test_the_check_sees_a_form_class_and_a_formset_but_not_an_imported_form():
    source = (
        "from django import forms\n"
        "from django.contrib.auth.forms import AuthenticationForm\n"
        "class UploadForm(forms.Form):\n"
        "    file = forms.FileField()\n"
        "Uploads = forms.formset_factory(UploadForm)\n"
        "LIMIT = 3\n"
        "def page(request):\n"
        "    return None\n"
    )
    module = types.ModuleType("centinela.example.views")
    exec(compile(source, "views.py", "exec"), module.__dict__)  # noqa: S102 (a fixed source, written above)
    assert forms_defined_in(module, source) == ["UploadForm", "Uploads"]


def test_no_form_or_formset_is_defined_in_a_view_module():
    modules = view_modules()
    assert "centinela.territory.views" in modules and "centinela.activities.views.training" in modules
    found = {}
    for name in modules:
        module = importlib.import_module(name)
        defined = forms_defined_in(module, Path(module.__file__).read_text(encoding="utf-8"))
        if defined:
            found[name] = defined
    assert found == {}


def test_no_app_keeps_its_templates_in_the_shared_folder():
    shared = Path(settings.TEMPLATES[0]["DIRS"][0])
    ours = [config for config in apps.get_app_configs() if config.name.startswith("centinela.")]
    assert len(ours) > 5
    assert [config.label for config in ours if (shared / config.label).exists()] == []
    for config in ours:  # an app's own templates are all under templates/<app>/
        folder = Path(config.path) / "templates"
        if folder.is_dir():
            assert sorted(p.name for p in folder.iterdir()) == [config.label], config.label
