"""What every page shares: templates, the request's language and user, guards, forms, error pages."""
