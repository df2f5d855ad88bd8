#!/usr/bin/env sh
# Refresh the vendored Swagger UI (served at /api/docs) from the npm registry: the pinned
# version of swagger-ui-dist, checked against its registry integrity hash, unpacked into
# graph_service/web/static/swagger-ui-$VERSION/ (only the files the page uses, with the
# licence and notices). To move to another version, change VERSION and INTEGRITY (from
# `npm view swagger-ui-dist@VERSION dist.integrity`), run this, and update the version in
# graph_service/web/pages.py (SWAGGER_UI).
# Usage: sh scripts/vendor-swagger-ui.sh
set -eu
VERSION=5.35.0
INTEGRITY=sha512-U06rpMtW9V3XPGOBeamTUSr0Z09jMX4IJuANpE/EZbAhw0G8CgwrzU4YmXkn/h0wCDNsXdGarTNNHC3sU8yVUQ==
cd "$(dirname "$0")/.."
DEST=graph_service/web/static/swagger-ui-$VERSION
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
sh scripts/npm-unpack.sh "swagger-ui-dist" "$VERSION" "$INTEGRITY" "$WORK"
rm -rf "$DEST"
mkdir -p "$DEST"
for f in swagger-ui-bundle.js swagger-ui-bundle.js.LICENSE.txt swagger-ui.css LICENSE NOTICE; do
    cp "$WORK/package/$f" "$DEST/$f"
done
echo "swagger-ui-dist $VERSION -> $DEST"
