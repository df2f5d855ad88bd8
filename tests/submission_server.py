"""Serve the app on a store folder with waitress, as its own process (for the crash test).

Usage: ``python tests/submission_server.py STORE_DIR TOKEN``. Prints ``port <n>`` once it
listens on a free loopback port, then serves until killed.
"""

from __future__ import annotations

import sys

from graph_service.web import create_app
from graph_service.web.server import make_server


def main(store_dir: str, token: str) -> None:
    app = create_app({"STORE_PATH": store_dir, "WRITE_TOKEN": token})
    server = make_server(app, host="127.0.0.1", port=0, threads=4)
    print(f"port {server.effective_port}", flush=True)
    server.run()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
