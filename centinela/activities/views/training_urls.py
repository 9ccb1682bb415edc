"""URLs of the training pages (views in training.py)."""
urlpatterns: list = []
