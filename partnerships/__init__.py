"""Industry–academia partnerships: their joint framework and what they achieved."""
