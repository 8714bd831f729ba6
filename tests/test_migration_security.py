"""Migration 0006 on a database with users and sessions: columns added in place, first heads
from before keep their right from their account's creation."""
from sqlalchemy import create_engine, text
from test_migration_flows import ROWS

from portal.infra.migrate import upgrade


def test_first_heads_from_before_keep_their_right(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    upgrade(url, "0005")
    engine = create_engine(url)
    with engine.begin() as conn:
        for row in ROWS[:2]:
            conn.execute(text(row))
        conn.execute(text("UPDATE user_account SET is_first_head = true"))
        conn.execute(text("INSERT INTO user_session (user_id, token_hash, created_at, last_seen_at) "
                          "VALUES (1, 'h', '2026-11-02 09:00:00', '2026-11-02 09:00:00')"))
    upgrade(url)
    with engine.connect() as conn:
        since, secret = conn.execute(text("SELECT first_head_since, totp_secret FROM user_account")).one()
        assert str(since).startswith("2026-11-01 10:00:00") and secret is None
        assert conn.execute(text("SELECT verified_at FROM user_session")).scalar() is None
        assert conn.execute(text("PRAGMA foreign_key_check")).all() == []
    engine.dispose()
