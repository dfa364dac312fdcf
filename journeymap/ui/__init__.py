"""The desktop window (Qt).  Nothing outside ui/ imports from here."""
