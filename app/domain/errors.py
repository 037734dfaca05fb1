"""Errors a user can cause and fix; the message is Chinese and names the field."""

from __future__ import annotations


class ValidationError(ValueError):
    """A value the user typed is not acceptable.

    Args:
        field: the name of the field (dataclass attribute) the message belongs to.
        message: a Chinese sentence saying what is wrong and, where it helps, how to fix it.
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class FormErrors(ValueError):
    """Several field errors found at once, so a form can show all of them."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = dict(errors)


class DuplicateError(ValueError):
    """A record with the same key exists; `existing` identifies it for the user."""

    def __init__(self, message: str, existing: str) -> None:
        super().__init__(message)
        self.message = message
        self.existing = existing


class ConflictError(RuntimeError):
    """Someone else saved the record after it was loaded (version mismatch)."""


class NotFoundError(LookupError):
    """The record asked for does not exist."""
