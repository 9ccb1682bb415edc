"""The observatory's pages, one module per area: analysis (the methods of the engine), indicators, open_data."""
