"""Points: the append-only ledger and the redemption shop (爱心超市)."""
