"""Activity pages, one module per area: plans.py (plan, programmes, activities, evidence, calendar, map,
dashboard), training.py (trainings, attendance, certificates), governance.py (working groups, council sessions)."""
