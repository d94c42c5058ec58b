"""tutorial_lib: the tested helper package behind the tweet-sentiment-tutorial notebooks.

Each module mirrors one notebook stage (see docs/ARCHITECTURE.md). Importing the package does not
import torch: notebooks 01-05 run without it.

One setting is made at import: Intel MKL (the maths library of torch's x86 CPU builds) picks its
code path by processor, so the same seed gave other float bits, and another accuracy, on a CPU
with AVX-512 than on one without (0.5948 instead of 0.5961 for seed 0). ``MKL_CBWR=AVX2`` asks
MKL for the same path on every x86 CPU with AVX2, so a learner's laptop reproduces the numbers
printed in the notebooks. MKL reads it at its first call, so it must be set before any torch maths;
a value the user set is kept.
"""

import os

os.environ.setdefault("MKL_CBWR", "AVX2")

__version__ = "0.1.0"
