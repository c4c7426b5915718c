"""How the engine's arrays get their memory: small pages, not transparent huge pages.

numpy asks Linux for transparent huge pages (``madvise(MADV_HUGEPAGE)``) on every array of 4 MB or more. Where the
kernel must compact memory to find a free 2 MB page (``/sys/kernel/mm/transparent_hugepage/defrag`` set to
``madvise``, the common default, on a machine whose memory is fragmented by other work: a shared VM), every first
touch of a fresh array stalls in that compaction: a new 64 MB array cost 0.1-0.8 s of CPU here, against 0.025 s in
4 kB pages, and a 3-minute render allocates a few GB of them (stems, filter outputs, the reverb return), so the
render spent ~40% of its CPU seconds in the kernel (12 -> 7 CPU s with small pages, the same samples). The arrays
are streamed through once or twice, where huge pages save little, so an Engine turns numpy's advice off for its
process (``EngineConfig(huge_pages=True)`` leaves it as numpy set it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

import numpy as np


def prefer_small_pages() -> bool:
    """Stop numpy advising huge pages for new arrays in this process. True when the advice is off after the call
    (False on a numpy without the switch)."""
    multiarray = getattr(getattr(np, "_core", None), "multiarray", None)
    switch = cast(Callable[[bool], bool] | None, getattr(multiarray, "_set_madvise_hugepage", None))
    if switch is None:
        return False
    switch(False)
    return True
