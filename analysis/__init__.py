"""Centinela's analysis engine: numpy arrays in, result objects out. It never imports Django (a test enforces it),
so it runs in notebooks, workers and its own CLI (`centinela-analysis`) as well as under the web application."""
