"""PySide6 screens. Widgets call services and receive dataclasses; no SQL here."""
