from __future__ import annotations

import sys
from pathlib import Path

# The command's tests share one helper module that runs the console script.
sys.path.insert(0, str(Path(__file__).parent))
