"""A stand-in lesson for tests/ui/test_workers.py: its ``run`` does what the config names."""

import os
import time

from core.progress import report


class Unpicklable(Exception):
    def __init__(self, text, *, extra):  # keyword-only: pickle cannot rebuild it
        super().__init__(text)
        self.extra = extra


def run(config, **data):
    if config == "pid":
        report(0.5, f"working in {os.getpid()}")
        return {"pid": os.getpid(), "data": data}
    if config == "threads":  # the environment the fork server started with, and the BLAS pools
        from threadpoolctl import threadpool_info

        return {
            "env": os.environ.get("OPENBLAS_NUM_THREADS"),
            "pools": sorted({pool["num_threads"] for pool in threadpool_info()}),
        }
    if config == "refuse":
        raise ValueError("these settings are refused")
    if config == "odd error":
        raise Unpicklable("odd", extra=1)
    if config == "crash":
        os._exit(3)
    if config == "forever":
        while True:
            report(None, f"pid {os.getpid()}")
            time.sleep(0.02)
    raise AssertionError(config)
