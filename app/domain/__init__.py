"""Pure rules: validators, value types and policies. No Qt, no database."""
