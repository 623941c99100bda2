from .blocks import DepthwiseSeparable, StochasticDepth, MLPMixerBlock
