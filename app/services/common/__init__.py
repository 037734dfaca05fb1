"""What several areas share: audit trail, settings, progress, numbering, workbooks."""
