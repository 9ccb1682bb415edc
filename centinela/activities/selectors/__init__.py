"""What reads the activities, scoped by the permission check, one module per area as in views/: plans, training,
governance."""
