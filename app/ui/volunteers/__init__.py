"""The volunteer register's screens: the list, its model, the detail panel, editor, import."""
