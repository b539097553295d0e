"""The Plan de Acción spreadsheet: export a plan in the layout entities use, its empty
template, and the all-or-nothing import that writes through the planning, evaluation and
management services (layout.py declares the columns once for all of them)."""
