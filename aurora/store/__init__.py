"""The service's persistence: SQL rows of spec §7.1 (SQLAlchemy 2 + Alembic) and the data folder of files.

    from aurora.store import Store, FileStore
    store = Store.open("sqlite:///data/soundstar.db")   # migrations run here
"""

from aurora.store.db import make_engine, migrate, sqlite_url
from aurora.store.files import FileStore
from aurora.store.records import (
    ResultRecord,
    RetentionReport,
    SessionRecord,
    StoredFiles,
    SuggestionRow,
    TokenRecord,
    UserRecord,
)
from aurora.store.repository import Store, embedding_from_bytes, file_url, hash_token, token_fingerprint
from aurora.store.retention import enforce as enforce_retention

__all__ = [
    "FileStore", "ResultRecord", "RetentionReport", "SessionRecord", "Store", "StoredFiles", "SuggestionRow",
    "TokenRecord", "UserRecord", "embedding_from_bytes", "enforce_retention", "file_url", "hash_token", "make_engine",
    "migrate", "sqlite_url", "token_fingerprint",
]
