"""journeymap: customer-journey mapping for service safaris and shadowing."""

__version__ = "0.1.0"
