"""The interview editor, rendered from the form definition."""
