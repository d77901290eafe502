"""SVG pictures drawn from view models."""
