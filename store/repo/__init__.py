"""Repository functions: keyword-only, session first, the caller owns the transaction."""
