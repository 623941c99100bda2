"""Cross-file base classes: ResidualBase lives in base.py, its subclasses in blocks.py (relative
import) and absolute.py (absolute import)."""
from .base import ResidualBase
from .blocks import DenseResidual, GatedResidual

__all__ = ["ResidualBase", "DenseResidual", "GatedResidual"]
