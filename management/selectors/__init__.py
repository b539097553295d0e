"""Reads of management: physical progress (``physical``) and budget totals and financial
progress (``budget``)."""
