"""One function writes a case's risk level: `_case_level_apply` in birge/risk/services.py,
which every route reaches through the one rule for a level going down. This test reads
every module of birge (its source, with `ast`) and fails when anything else writes
`Case.risk_level`, so that a new route cannot set a level beside the rule unnoticed.

What counts as a write: `risk_level=` in a `case_touch`, `update`, `create`,
`get_or_create`, `update_or_create` call or a `Case(...)` constructor (unless the
queryset is of another model with a field of that name, read from the app registry);
`risk_level` in `defaults=`, `update_fields=` or `bulk_update`'s fields; `x.risk_level =
…`; `setattr(x, "risk_level", …)`; a call given the `Case` model with the field's name
(a bulk loader's column list); and raw SQL that updates or inserts it.
"""

import ast
import re
from pathlib import Path

import pytest
from django.apps import apps

import birge
from birge.cases.models import Case

ROOT = Path(birge.__file__).parent
WRITER = ("risk/services.py", "_case_level_apply")
# The only declared exception: the demo's bulk synthetic loaders write whole case rows
# (level included) by COPY or bulk insert, 100,000 at a time; they load history, they do
# not decide a level (birge/demo/synthetic.py).
DECLARED = {"demo/synthetic.py": "bulk synthetic loader"}
FIELD = "risk_level"
WRITE_CALLS = {"case_touch", "update", "create", "get_or_create", "update_or_create"}
SQL_WRITE = re.compile(r"\b(update|insert\s+into)\s+\W?cases_case\b", re.IGNORECASE)


def _other_models_with_the_field() -> set[str]:
    """Models other than Case with a field of the same name (their writes are not the
    case's), from the app registry."""
    return {
        model.__name__
        for model in apps.get_models()
        if model is not Case and any(f.name == FIELD for f in model._meta.get_fields())
    }


def _root_name(node: ast.AST) -> str | None:
    """`Case` for `Case.objects.filter(…).update`, `case` for `case.save`."""
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, (ast.Attribute, ast.Subscript)):
            node = node.value
        else:
            return node.id if isinstance(node, ast.Name) else None


def _call_name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _names_the_field(node: ast.AST | None) -> bool:
    return node is not None and any(
        isinstance(n, ast.Constant) and n.value == FIELD for n in ast.walk(node)
    )


class _Finder(ast.NodeVisitor):
    def __init__(self, other_models: set[str]) -> None:
        self.other_models = other_models
        self.functions: list[str] = []
        self.found: list[tuple[int, str, str]] = []

    def _found(self, node: ast.AST, what: str) -> None:
        where = ".".join(self.functions) or "<module>"
        self.found.append((node.lineno, where, what))

    def _function(self, node) -> None:
        self.functions.append(node.name)
        self.generic_visit(node)
        self.functions.pop()

    visit_FunctionDef = visit_AsyncFunctionDef = _function

    def visit_Call(self, node: ast.Call) -> None:
        name = _call_name(node)
        keywords = {k.arg: k.value for k in node.keywords if k.arg}
        of_other_model = _root_name(node.func) in self.other_models
        constructs_a_case = isinstance(node.func, ast.Name) and name == "Case"
        if FIELD in keywords and not of_other_model and (name in WRITE_CALLS or constructs_a_case):
            self._found(node, f"{name}({FIELD}=…)")
        for option in ("defaults", "create_defaults", "update_fields"):
            if _names_the_field(keywords.get(option)) and not of_other_model:
                self._found(node, f"{name}({option}=[…{FIELD}…])")
        if name == "bulk_update" and any(_names_the_field(a) for a in node.args[1:]):
            self._found(node, f"bulk_update(…, [{FIELD}])")
        if name == "setattr" and len(node.args) > 1 and _names_the_field(node.args[1]):
            self._found(node, f"setattr(…, {FIELD!r}, …)")
        given_case = any(isinstance(a, ast.Name) and a.id == "Case" for a in node.args)
        if given_case and any(_names_the_field(a) for a in node.args):
            self._found(node, f"{name}(Case, …{FIELD}…)")
        self.generic_visit(node)

    def _targets(self, node, targets) -> None:
        for target in targets:
            for part in ast.walk(target):
                if isinstance(part, ast.Attribute) and part.attr == FIELD:
                    self._found(node, f"….{FIELD} = …")
        self.generic_visit(node)

    def visit_Assign(self, node: ast.Assign) -> None:
        self._targets(node, node.targets)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self._targets(node, [node.target])

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self._targets(node, [node.target])

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str) and FIELD in node.value and SQL_WRITE.search(node.value):
            self._found(node, "SQL writing the level")


def level_writes(source: str, other_models: set[str]) -> list[tuple[int, str, str]]:
    """(line, enclosing function, what) of every write of a case's level in `source`."""
    finder = _Finder(other_models)
    finder.visit(ast.parse(source))
    return finder.found


def all_level_writes() -> dict[str, list[tuple[int, str, str]]]:
    other_models = _other_models_with_the_field()
    found = {}
    for path in sorted(ROOT.rglob("*.py")):
        writes = level_writes(path.read_text(encoding="utf-8"), other_models)
        if writes:
            found[path.relative_to(ROOT).as_posix()] = writes
    return found


def test_only_the_one_writer_and_the_demos_loaders_write_a_cases_level():
    found = all_level_writes()
    path, function = WRITER

    writer = found.pop(path, [])
    declared = {name: found.pop(name, []) for name in DECLARED}

    assert found == {}, "only birge.risk.services._case_level_apply may write Case.risk_level"
    assert writer and all(where == function for _, where, _ in writer), writer
    # A declared exception that no longer writes is removed from the list.
    assert all(declared.values()), declared


def test_the_modules_read_include_every_app():
    read = {p.relative_to(ROOT).parts[0] for p in ROOT.rglob("*.py")}

    assert {"cases", "risk", "conferences", "jobs", "demo", "referrals", "safety"} <= read


# --- The finder finds what it is meant to ----------------------------------------------

WRITES = [
    "case_touch(case, risk_level='standard')",
    "Case.objects.filter(pk=1).update(risk_level='standard')",
    "cases_visible_to(user).update(risk_level='standard')",
    "Case.objects.create(risk_level='standard')",
    "Case(risk_level='standard')",
    "Case.objects.update_or_create(pk=1, defaults={'risk_level': 'standard'})",
    "case.risk_level = 'standard'",
    "self.case.risk_level = level",
    "setattr(case, 'risk_level', 'standard')",
    "case.save(update_fields=['risk_level'])",
    "Case.objects.bulk_update(cases, ['risk_level', 'version'])",
    "Table(Case, ('id', 'risk_level'))",
    "cursor.execute('UPD' 'ATE cases_case SET risk_level = %s', ['standard'])",
]
NOT_WRITES = [
    "Case.objects.filter(risk_level='high')",
    "ConferenceReferral.objects.create(case=case, risk_level=case.risk_level)",
    "level = case.risk_level",
    "When(risk_level='critical', then=Value(0))",
    "response_hours(version=v, service_kind=k, risk_level=case.risk_level)",
    "Case.objects.only('risk_level')",
]


@pytest.mark.parametrize("source", WRITES)
def test_the_finder_sees_each_way_of_writing_the_level(source):
    assert level_writes(source, _other_models_with_the_field())


@pytest.mark.parametrize("source", NOT_WRITES)
def test_the_finder_leaves_reads_and_other_models_alone(source):
    assert level_writes(source, _other_models_with_the_field()) == []


def test_the_finder_names_the_function_that_writes():
    source = "def sneaky(case):\n    case_touch(case, risk_level='standard')\n"

    assert level_writes(source, set()) == [(2, "sneaky", "case_touch(risk_level=…)")]
