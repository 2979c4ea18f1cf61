"""``python -m mediaeval``."""

from .cli import main

raise SystemExit(main())
