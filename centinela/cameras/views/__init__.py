"""Camera network pages, one module per area: dashboard, inventory (sites, systems, cameras, sightings),
maintenance, footage (requests) and ecu911. Thin: reads come from selectors, changes from services, each starting
with the one permission check."""
