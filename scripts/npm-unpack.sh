#!/usr/bin/env sh
# Fetch one pinned npm package, check its tarball against the registry's integrity hash, and
# unpack it into a folder (the package's files end up in FOLDER/package/). Used by the
# vendor-*.sh scripts.
# Usage: sh scripts/npm-unpack.sh NAME VERSION INTEGRITY FOLDER
set -eu
NAME=$1 VERSION=$2 INTEGRITY=$3 WORK=$4
(cd "$WORK" && npm pack --silent "$NAME@$VERSION" >/dev/null)
# npm names the tarball after the package, without the scope's "@" and with "/" as "-"
TARBALL="$WORK/$(echo "$NAME" | sed 's/^@//; s#/#-#')-$VERSION.tgz"
GOT="sha512-$(openssl dgst -sha512 -binary "$TARBALL" | base64 -w0)"
if [ "$GOT" != "$INTEGRITY" ]; then
    echo "integrity mismatch for $NAME@$VERSION: $GOT" >&2
    exit 1
fi
tar -xzf "$TARBALL" -C "$WORK"
