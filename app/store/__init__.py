"""Persistence with peewee: database setup, models, migrations and queries. No Qt."""
