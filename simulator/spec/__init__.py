"""Loading specs/<provider>/ into a typed model with compiled validators."""
