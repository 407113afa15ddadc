"""Connecting to the team store through libpq (psycopg 3).

Authentication is PostgreSQL's own: libpq reads the password from
PGPASSFILE (~/.pgpass), a service file (`postgresql:///?service=desk`) or,
when the caller has a way to ask, a prompt (`password=`: held in memory for
this connection only). A password written in the address is accepted, but
only `redact()`ed addresses are ever shown, stored in a file or printed. TLS
is whatever libpq is configured to do (`sslmode` in the address, PGSSLMODE).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

from db.sharing.store.errors import PasswordNeeded, StoreError, StoreUnreachable

if TYPE_CHECKING:
    import psycopg

#: Seconds libpq waits for the server before giving up (unless the address says otherwise).
CONNECT_TIMEOUT_S = 10
#: A sync that stalls while holding the store's write lock is cut off by the server after this long.
IDLE_TIMEOUT = "60s"
#: How long a sync waits for another laptop's upload to finish.
LOCK_TIMEOUT = "60s"


def is_store_address(url: str) -> bool:
    """Whether `url` looks like a PostgreSQL address (URL or libpq key=value string)."""
    return url.startswith(("postgresql://", "postgres://")) or bool(re.match(r"^\s*\w+\s*=", url))


def redact(url: str) -> str:
    """The address without any password in it: the only form that is shown or stored."""
    if url.startswith(("postgresql://", "postgres://")):
        parts = urlsplit(url)
        netloc = parts.netloc
        if "@" in netloc:
            userinfo, host = netloc.rsplit("@", 1)
            netloc = f"{userinfo.split(':', 1)[0]}@{host}"
        query = "&".join(q for q in parts.query.split("&") if q and not q.lower().startswith("password="))
        return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))
    # key=value form: drop the password pair (quoted or not).
    return re.sub(r"\s*\bpassword\s*=\s*('(?:[^'\\]|\\.)*'|\S+)", "", url).strip()


def _password_in(url: str) -> str | None:
    if url.startswith(("postgresql://", "postgres://")):
        try:
            return urlsplit(url).password
        except ValueError:
            return None
    m = re.search(r"\bpassword\s*=\s*('(?:[^'\\]|\\.)*'|\S+)", url)
    return m.group(1).strip("'") if m else None


def reason(exc: BaseException, secrets: tuple[str | None, ...] = ()) -> str:
    """libpq's explanation, cut to the clause a person needs (no password in it, ever)."""
    text = str(exc).strip() or "no reason given"  # never the exception's class name
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    first = text.splitlines()[0]
    first = first.rsplit("failed: ", 1)[-1]
    first = re.sub(r"^(FATAL|ERROR):\s*", "", first).strip().rstrip(".")
    return first or "no reason given"


def connect(url: str, password: str | None = None) -> psycopg.Connection:
    """An open connection to the store at `url`; `StoreUnreachable` with a sentence if not.

    `password` (from a prompt) goes to libpq for this connection only.
    """
    import psycopg

    if not is_store_address(url):
        raise StoreError(
            f"{url!r} is not a PostgreSQL address: write it as postgresql://user@host/database "
            "(or service=NAME for a service file)."
        )
    shown = redact(url)
    kwargs: dict[str, str | int] = {"application_name": "briefbook"}
    if "connect_timeout" not in url:
        kwargs["connect_timeout"] = CONNECT_TIMEOUT_S
    if password is not None:
        kwargs["password"] = password
    secrets = (password, _password_in(url))
    try:
        conn = psycopg.connect(psycopg.conninfo.make_conninfo(url, **kwargs))
    except psycopg.OperationalError as exc:
        why = reason(exc, secrets)
        if "no password supplied" in why or "password authentication failed" in why:
            raise PasswordNeeded(
                f"The team store at {shown} refused the login ({why}): give the password, or put it in your PGPASSFILE."
            ) from None
        raise StoreUnreachable(
            f"The team store at {shown} could not be reached ({why}); nothing was changed, "
            "and you can keep working on this file offline."
        ) from None
    except psycopg.Error as exc:  # a malformed address (unknown option, bad quoting)
        raise StoreError(f"The team store address {shown} is not valid ({reason(exc, secrets)}).") from None
    try:
        conn.execute(
            "SELECT set_config('idle_in_transaction_session_timeout', %s, false), "
            "set_config('lock_timeout', %s, false)",
            (IDLE_TIMEOUT, LOCK_TIMEOUT),
        )
        conn.commit()
    except psycopg.Error as exc:
        conn.close()
        raise StoreUnreachable(f"The team store at {shown} could not be used ({reason(exc, secrets)}).") from None
    return conn
