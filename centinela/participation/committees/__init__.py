"""Barrio security committees (issue 12, item 5): the committees residents form in their barrio, their members (whose
contact data is personal data), their meetings with attendance, and the agreements they reach, followed to the end.
The area keeps the app's layout in its own modules (models, selectors, services, forms, filters, columns, views,
urls); `participation.models` imports its models so Django finds them."""
