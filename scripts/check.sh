#!/bin/sh
# The static checks of `npm test`, side by side: the type check, ESLint and Prettier. Fails when
# any of them fails; each prints only what it finds. Each keeps a cache under node_modules/.cache
# (keyed on file content), so a second run checks only what changed.
cache=node_modules/.cache
tsc --noEmit --incremental --tsBuildInfoFile "$cache/tsc/tsbuildinfo" & tsc=$!
eslint . --cache --cache-strategy content --cache-location "$cache/eslint/" & eslint=$!
prettier --check . --log-level warn --cache --cache-location "$cache/prettier/cache.json" & prettier=$!
status=0
wait $tsc || { echo "tsc --noEmit failed" >&2; status=1; }
wait $eslint || { echo "eslint failed (npm run format fixes what it can)" >&2; status=1; }
wait $prettier || { echo "prettier --check failed: run npm run format" >&2; status=1; }
exit $status
