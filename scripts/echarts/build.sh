#!/bin/sh
# build.sh rebuilds web/static/vendor/echarts/ from entry.js: the ECharts
# bundle cadrestats serves (and from map-entry.js the map page's), with
# the licence files of the package it came from. A developer command: nothing runs it at test, build or run time, and
# its output is committed.
#
#   cd scripts/echarts && ./build.sh      (needs Node.js 18+ and npm)
#
# npm ci installs exactly package-lock.json (echarts 5.6.0, esbuild); stay
# on ECharts 5: 6 changes layout defaults (centred titles, legend at the
# bottom) that internal/chart and charts.js rely on.
set -eu
cd "$(dirname "$0")"
out=../../web/static/vendor/echarts
npm ci --no-audit --no-fund
version=$(node -p "require('echarts/package.json').version")
case "$version" in 5.*) ;; *) echo "build.sh: echarts $version is not 5.x" >&2; exit 1 ;; esac
npx esbuild entry.js --bundle --minify --format=iife --global-name=echarts \
	--target=es2017 --legal-comments=none --define:process.env.NODE_ENV='"production"' \
	--banner:js="/* Apache ECharts $version, custom build of cadrestats (scripts/echarts/entry.js). Apache License 2.0: see LICENSE and NOTICE beside this file. */" \
	--outfile="$out/echarts.custom.min.js"
# The map page's bundle: the same, plus the map series and visualMap.
npx esbuild map-entry.js --bundle --minify --format=iife --global-name=echarts \
	--target=es2017 --legal-comments=none --define:process.env.NODE_ENV='"production"' \
	--banner:js="/* Apache ECharts $version, custom build of cadrestats for the map page (scripts/echarts/map-entry.js). Apache License 2.0: see LICENSE and NOTICE beside this file. */" \
	--outfile="$out/echarts.map.min.js"
cp node_modules/echarts/LICENSE node_modules/echarts/NOTICE "$out/"
cp node_modules/echarts/licenses/LICENSE-d3 "$out/"
ls -l "$out"
