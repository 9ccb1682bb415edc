"""Centinela: information system for municipal citizen-security councils."""
