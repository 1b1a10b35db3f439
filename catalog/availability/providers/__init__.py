"""Availability providers, one module per protocol; settings.AVAILABILITY_PROVIDERS names them."""
