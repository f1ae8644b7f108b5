"""Site settings: what makes an installation a city's own (name, who leads the dialogue, logo, colour, contact)."""
