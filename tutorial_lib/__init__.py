"""tutorial_lib: the tested helper package behind the tweet-sentiment-tutorial notebooks.

Each module mirrors one notebook stage (see docs/ARCHITECTURE.md). Importing the package does not
import torch: notebooks 01-05 run without it.
"""

__version__ = "0.1.0"
