"""The entry view generated from a form definition."""
