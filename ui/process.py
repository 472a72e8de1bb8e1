"""Settings of the server process, applied once when the router first imports this module.

A class shares one server: it runs many small experiments at once, one per session, so each
run gets one BLAS / OpenMP thread and the cores are shared across sessions (and replicas), never
fought over inside one run. Outside the app (a notebook, a script) nothing here runs and NumPy,
scikit-learn and LightGBM keep their own defaults.
"""

from __future__ import annotations

from threadpoolctl import threadpool_limits

from ui import memory, precompute
from ui.workers import THREADS_PER_RUN

# Applies to every BLAS and OpenMP library loaded now; threadpoolctl's limits are process-wide.
_LIMITS = threadpool_limits(limits=THREADS_PER_RUN)

# At most two malloc arenas (glibc), so memory freed by finished runs' threads is reused, and
# fixed heap thresholds, so a training loop does not trim and regrow the heap every update.
memory.configure()

# Every lesson's default and presets, computed ahead when this code version lacks them.
precompute.ensure_in_background()
