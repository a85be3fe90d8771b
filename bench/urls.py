"""Birge's URLs plus the benchmark's baseline (see bench/baseline.py); benchmark only."""

from django.urls import path

from bench.baseline import baseline_cases
from birge.urls import handler400, handler403, handler404, handler500, urlpatterns

urlpatterns = [
    path("__bench__/baseline/cases/", baseline_cases, name="bench_baseline_cases"),
    *urlpatterns,
]

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
