"""Use cases. Each takes a session, flushes, and never commits: the caller owns the transaction."""
