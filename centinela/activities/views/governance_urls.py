"""URLs of the working-group and council-session pages (views in governance.py)."""
urlpatterns: list = []
