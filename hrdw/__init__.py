"""hrd-warehouse: shared core (settings, source specifications, warehouse access, sync runner)."""
