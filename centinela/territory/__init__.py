"""Territory: the canton, its parishes and barrios (areas) and the named places the council works in."""
