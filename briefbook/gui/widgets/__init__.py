"""Small widgets, models and formatters the feature panels share."""
