"""Accounts: users, their roles, the one permission check every page and API endpoint uses, API tokens, audit."""
