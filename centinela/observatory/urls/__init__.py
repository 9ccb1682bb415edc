"""The observatory's URLs, one module per area (each mounted at its own address in centinela/urls.py)."""
