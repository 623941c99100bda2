# runtime: ok
"""torch-style module: `nn.Module` comes from torch when it is installed, else from a local
stand-in; neither is a Keras class."""
try:
    from torch import nn
except ImportError:  # torch is not installed in the kcheck environment
    class nn:  # minimal stand-in with the same spelling
        class Module:
            def __init__(self):
                pass


class Block(nn.Module):
    def __init__(self, inner, fn=None):
        super().__init__()
        self.inner = inner
        self.fn = fn

    def build(self, input_shape, units=4):
        return (input_shape, units)

    def get_config(self):
        return {"inner": self.inner}


def example():
    return Block(Block(None), fn=abs)
