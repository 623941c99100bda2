# ruff: noqa
from .blocks import DepthwiseSeparable, MLPMixerBlock, StochasticDepth
