"""Service hours: activities, service records and their approval, reports, certificates."""
