"""HTML views of the planning app: `workspace` (plan tree, items, periods) and `lists`."""
