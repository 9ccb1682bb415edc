"""The activities' forms, one module per area as in views/: plans, training, governance."""
