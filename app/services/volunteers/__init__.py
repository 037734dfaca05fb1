"""The volunteer register: registration, the list, import, export, merge, demo data."""
