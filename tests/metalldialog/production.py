"""The README's production environment, as the tests of the production configuration use it."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def readme_production_env() -> dict[str, str]:
    """The variables of the README's ```dotenv block (the production example)."""
    readme = (ROOT / "README.md").read_text()
    block = re.search(r"```dotenv\n(.*?)```", readme, re.DOTALL).group(1)
    pairs = (line.split("=", 1) for line in block.splitlines() if "=" in line)
    return {key.strip(): value.strip() for key, value in pairs if not key.startswith("#")}
