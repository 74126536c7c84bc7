"""What it tells: indicators, segregation measures, disclosure control, tables, charts, PDF and Excel."""
