"""python -m aurora.server token create NAME   -> a new bearer token for user NAME (printed once, stored hashed);
                                              ``token NAME`` is the same
python -m aurora.server token list [--user NAME] [--all]
                                           -> id, user, fingerprint (first 12 hex digits of the token's SHA-256),
                                              created, revoked
python -m aurora.server token revoke (ID | --user NAME | --fingerprint HEX | --token TOKEN)
                                           -> the token answers 401 from its next request on
python -m aurora.server serve              -> the API without the UI (python app.py serves both)

The database is SOUNDSTAR_DATABASE_URL, else SQLite in SOUNDSTAR_DATA_DIR (see aurora/server/settings.py).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from aurora.store import Store, TokenRecord

TOKEN_COMMANDS = ("create", "list", "revoke")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m aurora.server")
    sub = parser.add_subparsers(dest="command", required=True)
    token = sub.add_parser("token", help="create, list or revoke API tokens (SOUNDSTAR_DATABASE_URL / _DATA_DIR)")
    actions = token.add_subparsers(dest="action", required=True)
    create = actions.add_parser("create", help="a new token for a user (created if needed); printed once")
    create.add_argument("name")
    listing = actions.add_parser("list", help="tokens by id, user and fingerprint (never the tokens themselves)")
    listing.add_argument("--user", default=None)
    listing.add_argument("--all", action="store_true", help="revoked tokens too")
    revoke = actions.add_parser("revoke", help="revoke tokens: by id, by user (all theirs), by fingerprint")
    revoke.add_argument("id", nargs="?", type=int, default=None)
    revoke.add_argument("--user", default=None)
    revoke.add_argument("--fingerprint", default=None, help="at least 8 hex digits of the listed fingerprint")
    revoke.add_argument("--token", default=None, help="the token itself")
    sub.add_parser("serve", help="serve the REST API (no UI) on SOUNDSTAR_HOST:SOUNDSTAR_PORT")
    return parser


def _line(token: TokenRecord) -> str:
    revoked = f"revoked {token.revoked_at:%Y-%m-%d %H:%M}" if token.revoked_at else "live"
    return f"{token.id:>5}  {token.user:<24} {token.fingerprint}  {token.created_at:%Y-%m-%d %H:%M}  {revoked}"


def _token(args: argparse.Namespace, store: Store, where: str) -> int:
    if args.action == "create":
        print(store.create_token(args.name))
        print(f"token for {args.name!r} stored (hashed) in {where}; it is not shown again", file=sys.stderr)
        return 0
    if args.action == "list":
        tokens = store.list_tokens(args.user, include_revoked=args.all)
        print(f"{'id':>5}  {'user':<24} {'fingerprint':<12}  {'created (UTC)':<16}  state")
        for token in tokens:
            print(_line(token))
        return 0
    try:
        revoked = store.revoke_tokens(token_id=args.id, user_name=args.user, fingerprint=args.fingerprint,
                                      token=args.token)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for token in revoked:
        print(_line(token))
    if not revoked:
        print("error: no live token matched", file=sys.stderr)
        return 1
    print(f"{len(revoked)} token(s) revoked", file=sys.stderr)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if len(args_list) >= 2 and args_list[0] == "token" and args_list[1] not in (*TOKEN_COMMANDS, "-h", "--help"):
        args_list.insert(1, "create")  # `token NAME`, as before
    args = _parser().parse_args(args_list)

    from aurora.server.settings import ServerSettings

    settings = ServerSettings.from_env()
    if args.command == "token":
        from aurora.store import Store

        store = Store.open(settings.db_url)
        try:
            return _token(args, store, settings.db_url)
        finally:
            store.close()
    import uvicorn

    from aurora.server import StudioService, create_app

    uvicorn.run(create_app(StudioService.create(settings)), host=settings.host, port=settings.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
