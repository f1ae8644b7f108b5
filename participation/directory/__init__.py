"""Master data: operators (Träger), districts (Stadtteile) and child-and-family centres."""
