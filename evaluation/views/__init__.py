"""HTML views of the evaluation app: `indicators`, `measurements` and `lists`."""
