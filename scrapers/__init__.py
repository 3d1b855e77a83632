"""Collectors: fetch reviews and customer messages, return plain records; no database here."""
