"""Who may do what: API keys with roles, and browser sessions signed in with a key.

A key is `eg_` followed by 43 URL-safe characters (256 random bits). Only its SHA-256 digest is
stored: a key that strong cannot be guessed from its digest, so a slow password hash would add
nothing but latency on every request. The first 10 characters are kept in clear so a key can be
recognised in listings and logs. Roles are ordered: a `reviewer` may also screen, an `admin` may
do everything.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from exportguard.errors import InputError
from exportguard.roles import ROLES
from exportguard.store import Store
from exportguard.store.tables import ApiKeyRow, WebSessionRow

_RANK = {role: rank for rank, role in enumerate(ROLES)}
_KEY_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._@-]{0,99}$")
_KEY_SHAPE = re.compile(r"^eg_[A-Za-z0-9_-]{43}$")
SESSION_HOURS = 8


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def allows(role: str, needed: str) -> bool:
    return _RANK.get(role, -1) >= _RANK[needed]


@dataclass(frozen=True, slots=True)
class Principal:
    """The caller a key (or a session) stands for."""

    key_id: int
    name: str
    role: str
    rate_per_second: float | None = None
    csrf: str | None = None


@dataclass(frozen=True, slots=True)
class KeyInfo:
    id: int
    name: str
    role: str
    prefix: str
    created_at: datetime
    revoked_at: datetime | None
    rate_per_second: float | None

    def to_dict(self) -> dict[str, object]:
        return {"id": self.id, "name": self.name, "role": self.role, "prefix": self.prefix,
                "created_at": self.created_at.isoformat(),
                "revoked_at": self.revoked_at.isoformat() if self.revoked_at else None,
                "rate_per_second": self.rate_per_second}


class Access:
    def __init__(self, store: Store) -> None:
        self.store = store

    def create_key(self, name: str, role: str,
                   rate_per_second: float | None = None) -> tuple[KeyInfo, str]:
        """A new key; the secret is returned once and never stored."""
        if not isinstance(name, str) or not _KEY_NAME.match(name):
            raise InputError("name", "1-100 letters, digits, spaces or . _ @ -, starting with a "
                                     "letter or digit")
        if role not in ROLES:
            raise InputError("role", f"must be one of {', '.join(ROLES)}, got '{role}'")
        if rate_per_second is not None and not 0 < rate_per_second <= 100_000:
            raise InputError("rate_per_second", "must be above 0 and at most 100000")
        secret = "eg_" + secrets.token_urlsafe(32)
        row = ApiKeyRow(name=name, role=role, prefix=secret[:10], digest=digest(secret),
                        rate_per_second=rate_per_second, created_at=datetime.now(UTC))
        try:
            with self.store._sessions.begin() as session:
                session.add(row)
                session.flush()
                info = _info(row)
        except IntegrityError:
            raise InputError("name", f"a key named '{name}' already exists") from None
        return info, secret

    def list_keys(self) -> list[KeyInfo]:
        with self.store._sessions() as session:
            return [_info(r) for r in session.scalars(select(ApiKeyRow).order_by(ApiKeyRow.id))]

    def revoke(self, key: int | str) -> KeyInfo:
        """Revoke by id or name; its browser sessions end with it."""
        with self.store._sessions.begin() as session:
            query = select(ApiKeyRow).where(
                ApiKeyRow.id == key if isinstance(key, int) else ApiKeyRow.name == key)
            row = session.scalars(query).first()
            if row is None:
                raise InputError("key", f"there is no key '{key}'")
            if row.revoked_at is None:
                row.revoked_at = datetime.now(UTC)
            session.execute(delete(WebSessionRow).where(WebSessionRow.key_id == row.id))
            return _info(row)

    def authenticate(self, secret: str | None) -> Principal | None:
        """The principal of a valid, unrevoked key; None for anything else (no detail leaks)."""
        if not secret or not _KEY_SHAPE.match(secret):
            return None
        with self.store._sessions() as session:
            row = session.scalars(
                select(ApiKeyRow).where(ApiKeyRow.digest == digest(secret))).first()
        if row is None or row.revoked_at is not None:
            return None
        return Principal(row.id, row.name, row.role, row.rate_per_second)

    def open_session(self, principal: Principal) -> str:
        """A browser session for a signed-in key: the cookie value is returned, its digest kept."""
        token = secrets.token_urlsafe(32)
        now = datetime.now(UTC)
        with self.store._sessions.begin() as session:
            session.execute(delete(WebSessionRow).where(WebSessionRow.expires_at < now))
            session.add(WebSessionRow(digest=digest(token), key_id=principal.key_id,
                                      csrf=secrets.token_urlsafe(24), created_at=now,
                                      expires_at=now + timedelta(hours=SESSION_HOURS)))
        return token

    def session_principal(self, token: str | None) -> Principal | None:
        if not token or len(token) > 100:
            return None
        with self.store._sessions() as session:
            found = session.execute(
                select(WebSessionRow, ApiKeyRow)
                .join(ApiKeyRow, ApiKeyRow.id == WebSessionRow.key_id)
                .where(WebSessionRow.digest == digest(token))).first()
        if found is None:
            return None
        web, key = found
        expires = web.expires_at if web.expires_at.tzinfo else web.expires_at.replace(tzinfo=UTC)
        if key.revoked_at is not None or expires < datetime.now(UTC):
            return None
        return Principal(key.id, key.name, key.role, key.rate_per_second, web.csrf)

    def close_session(self, token: str | None) -> None:
        if token:
            with self.store._sessions.begin() as session:
                session.execute(delete(WebSessionRow).where(WebSessionRow.digest == digest(token)))


def _info(row: ApiKeyRow) -> KeyInfo:
    return KeyInfo(row.id, row.name, row.role, row.prefix, row.created_at, row.revoked_at,
                   row.rate_per_second)
