"""python -m aurora.server token NAME   -> creates a bearer token for user NAME (printed once, stored hashed)
python -m aurora.server serve          -> the API without the UI (python app.py serves both)"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m aurora.server")
    sub = parser.add_subparsers(dest="command", required=True)
    token = sub.add_parser("token", help="create an API token for a user (SOUNDSTAR_DATABASE_URL / _DATA_DIR)")
    token.add_argument("name")
    sub.add_parser("serve", help="serve the REST API (no UI) on SOUNDSTAR_HOST:SOUNDSTAR_PORT")
    args = parser.parse_args(argv)

    from aurora.server.settings import ServerSettings

    settings = ServerSettings.from_env()
    if args.command == "token":
        from aurora.store import Store

        store = Store.open(settings.db_url)
        print(store.create_token(args.name))
        print(f"token for {args.name!r} stored (hashed) in {settings.db_url}; it is not shown again",
              file=sys.stderr)
        return 0
    import uvicorn

    from aurora.server import StudioService, create_app

    uvicorn.run(create_app(StudioService.create(settings)), host=settings.host, port=settings.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
