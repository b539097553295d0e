"""HTML views of the management app: `budget`, `reports` (progress workflow) and `lists`."""
