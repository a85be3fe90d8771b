"""Settings of the benchmark's server: Birge's production settings, one URL added.

The only difference from `birge.settings` is the URL configuration (`bench.urls`), which
adds the baseline view. Nothing in `birge/` refers to this module, so the baseline can
never be part of a deployed URL configuration.
"""

from birge.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
