from __future__ import annotations

import sys
from pathlib import Path

# The report tests share one module that builds a small Tancheng year.
sys.path.insert(0, str(Path(__file__).parent))
