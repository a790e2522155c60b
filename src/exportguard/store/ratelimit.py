"""Token buckets kept in the database, so every service process (`serve --workers N`, replicas
on one PostgreSQL) draws on one bucket per key.

A process does not write for every request: it claims a lease of a few tokens at once with one
conditional UPDATE (the refill and the deduction in the same statement, so concurrent claims
cannot overdraw) and spends them locally. Leased tokens are spent from the shared bucket, so all
processes together never exceed the key's rate plus its burst.
"""

from __future__ import annotations

from sqlalchemy import case, insert, select, update
from sqlalchemy.exc import IntegrityError

from exportguard.store import Store
from exportguard.store.tables import RateBucketRow


def claim(store: Store, key_id: int, want: int, rate: float, capacity: float,
          now: float, least: int = 1) -> tuple[int, float]:
    """Take up to `want` tokens (at least `least`) from the key's bucket. Returns (granted,
    wait): granted > 0 on success, else the seconds until `least` tokens are there."""
    bucket = RateBucketRow
    refilled = bucket.tokens + (now - bucket.updated) * rate
    level = case((refilled > capacity, capacity), else_=refilled)
    tokens = capacity
    for amount in dict.fromkeys((max(want, least), least)):
        with store._sessions.begin() as session:
            done = session.execute(
                update(bucket).where(bucket.key_id == key_id, level >= amount)
                .values(tokens=level - amount, updated=now)
                .execution_options(synchronize_session=False))
            if done.rowcount:  # type: ignore[attr-defined]
                return amount, 0.0
            row = session.execute(select(bucket.tokens, bucket.updated)
                                  .where(bucket.key_id == key_id)).first()
            if row is None:
                try:
                    with session.begin_nested():
                        session.execute(insert(bucket).values(
                            key_id=key_id, tokens=capacity - amount, updated=now))
                    return amount, 0.0
                except IntegrityError:  # another process created it first: claim again
                    return claim(store, key_id, want, rate, capacity, now, least)
            tokens = min(capacity, row.tokens + (now - row.updated) * rate)
    return 0, max(0.0, (least - tokens) / rate)
