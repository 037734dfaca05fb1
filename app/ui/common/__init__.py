"""Widgets and plumbing every area uses: workers, small tables, PDF preview, errors."""
