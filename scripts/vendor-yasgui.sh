#!/usr/bin/env sh
# Refresh the vendored YASGUI (the SPARQL editor of /query) from the npm registry: the pinned
# version of @zazuko/yasgui, checked against its registry integrity hash, unpacked into
# graph_service/web/static/yasgui-$VERSION/ (only the built script and stylesheet the page
# uses; not the source maps or type declarations). The tarball ships no licence file: the
# LICENSE in that folder is kept by hand (the MIT text that package.json declares) and is
# left in place. To move to another version, change VERSION and INTEGRITY (from
# `npm view @zazuko/yasgui@VERSION dist.integrity`), run this, move LICENSE to the new
# folder, and update the version in graph_service/web/pages.py (YASGUI).
# Usage: sh scripts/vendor-yasgui.sh
set -eu
VERSION=4.6.2
INTEGRITY=sha512-Zw45KdPoAE1KRaAoxIHdQqeJxvaVG1oQdntw0hy0ktX35Zu8ZccuOLrXCLwR+GU+0xMzLw8Mjw6BkSZV2vUuQw==
cd "$(dirname "$0")/.."
DEST=graph_service/web/static/yasgui-$VERSION
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
sh scripts/npm-unpack.sh "@zazuko/yasgui" "$VERSION" "$INTEGRITY" "$WORK"
mkdir -p "$DEST"
for f in yasgui.min.js yasgui.min.css; do
    cp "$WORK/package/build/$f" "$DEST/$f"
done
echo "@zazuko/yasgui $VERSION -> $DEST"
