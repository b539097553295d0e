"""Pages of the accountability floor: ``staff`` (reports, for logged-in users) and
``public`` (the citizen portal under /transparencia/, no login)."""
