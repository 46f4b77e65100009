#!/bin/sh
# build.sh rebuilds web/static/map/vn63.json and vn34.json, the province
# boundaries of the map page, from the public-domain geoBoundaries file
# SOURCE.md names (checked by its SHA-256), with main.go beside this file.
# A developer command: nothing runs it at test, build or run time, and its
# output is committed.
#
#   scripts/map/build.sh path/to/geoBoundaries-VNM-ADM1.geojson
set -eu
cd "$(dirname "$0")/../.."
src=${1:?usage: scripts/map/build.sh geoBoundaries-VNM-ADM1.geojson}
want=f27b7dd66e2ebc67cecad3f699715c9661d905fc58da300f424ed42fbb3e041d
got=$(sha256sum "$src" | cut -d' ' -f1)
if [ "$got" != "$want" ]; then
	echo "build.sh: $src has SHA-256 $got, not the $want SOURCE.md names" >&2
	exit 1
fi
mkdir -p web/static/map
go run ./scripts/map -src "$src" -out web/static/map -tolerance 0.002
for f in web/static/map/vn63.json web/static/map/vn34.json; do
	echo "$f: $(wc -c <"$f") bytes, $(gzip -9 -c "$f" | wc -c) gzipped"
done
