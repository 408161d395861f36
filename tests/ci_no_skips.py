"""In CI a skip is a failure: every optional piece the README's set-up installs (llama.cpp, MiniLM, Chromium) must
be there, and a test that cannot run must say so in red rather than pass in yellow. Outside CI (``CI`` unset) a
skip stays a skip, so a partial install still runs the rest.

Loaded by ``tests/conftest.py``; :func:`require` is the import that skips outside CI and fails inside it.
"""

from __future__ import annotations

import importlib
import os
from types import ModuleType

import pytest


def in_ci() -> bool:
    return bool(os.environ.get("CI"))


def require(module: str, install: str) -> ModuleType:
    """``module`` imported; without it a skip (``install`` says how to get it), or a failure in CI."""
    if not in_ci():
        return pytest.importorskip(module, reason=f"needs {module}: {install}")
    try:
        return importlib.import_module(module)
    except ImportError as error:
        pytest.fail(f"CI needs {module} ({error}): {install}", pytrace=False)


def _failed_in_ci(report: pytest.TestReport | pytest.CollectReport) -> None:
    reason = report.longrepr[-1] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    report.outcome = "failed"
    report.longrepr = f"skipped in CI, where nothing may be: {reason}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> object:
    outcome = yield
    report = outcome.get_result()
    if in_ci() and report.skipped and not hasattr(report, "wasxfail"):
        _failed_in_ci(report)


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> object:
    outcome = yield
    report = outcome.get_result()
    if in_ci() and report.skipped:
        _failed_in_ci(report)
