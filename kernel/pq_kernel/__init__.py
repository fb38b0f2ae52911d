"""pq as a Jupyter kernel: a small ipykernel wrapper around `pq machine` (docs/notebooks.md)."""
