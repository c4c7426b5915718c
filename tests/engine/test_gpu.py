"""The CUDA path: the same render on the GPU. Skipped, with the reason, where there is no GPU."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from engine import DeviceUnavailableError, Engine
from knowledge_base import KnowledgeBase
from tests.engine.conftest import make_controls, make_plan

needs_cuda = pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA GPU on this machine")


@needs_cuda
def test_cuda_render_matches_cpu(kb: KnowledgeBase) -> None:
    plan = make_plan(tempo_bpm=120.0, duration_s=5.0)
    controls = make_controls(kb, tempo_bpm=120.0, genre="pop")
    gpu = Engine(device="cuda").render(plan=plan, **controls, duration_s=5.0, seed=1)
    cpu = Engine(device="cpu").render(plan=plan, **controls, duration_s=5.0, seed=1)
    assert gpu.device == "cuda"
    assert gpu.mix.shape == cpu.mix.shape
    corr = np.corrcoef(gpu.premaster[0], cpu.premaster[0])[0, 1]
    assert corr > 0.98


@pytest.mark.skipif(torch.cuda.is_available(), reason="a CUDA GPU is present")
def test_asking_for_cuda_without_gpu_is_a_coded_error() -> None:
    with pytest.raises(DeviceUnavailableError) as info:
        Engine(device="cuda")
    assert info.value.code == "ENGINE_DEVICE_UNAVAILABLE"
