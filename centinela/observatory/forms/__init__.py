"""The observatory's forms, one module per area: analysis (what the methods' forms share), indicators."""
