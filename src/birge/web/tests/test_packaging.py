"""Our own packaging builds without warnings: the licence in PEP 639's form."""

import tomllib
from pathlib import Path

from packaging.licenses import canonicalize_license_expression

PYPROJECT = Path(__file__).resolve().parents[4] / "pyproject.toml"


def test_the_licence_is_an_spdx_expression_not_a_deprecated_table():
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    license_ = project["license"]
    assert isinstance(license_, str)
    assert canonicalize_license_expression(license_) == license_
    assert not any(c.startswith("License ::") for c in project.get("classifiers", []))
