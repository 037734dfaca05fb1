"""Volunteer ID cards and event check-in."""
