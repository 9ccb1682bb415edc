"""What changes the activities, one module per area as in views/: plans (activities, evidence, programmes), training,
governance (working groups, council sessions)."""
