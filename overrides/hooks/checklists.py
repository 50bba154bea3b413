"""Placeholder until the site work lands."""
