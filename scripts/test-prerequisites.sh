#!/usr/bin/env bash
# The programs the tests start, installed when missing. `npm test` and `.ci/run` both run this.
#   chromium      the browser tests                    (SKIP_BROWSER_TESTS=1 skips them)
#   openssl       the TLS proxy test's certificate     (a browser test)
#   redis-server  the multi-instance and Redis tests   (SKIP_REDIS_TESTS=1 skips them)
# CHROMIUM_PATH and REDIS_SERVER point at programs installed elsewhere.
set -euo pipefail

chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
redis="${REDIS_SERVER:-redis-server}"
missing=() # Debian packages
needs=()   # why, for the notice

if [ "${SKIP_BROWSER_TESTS:-}" != 1 ]; then
  command -v "$chromium" >/dev/null 2>&1 || { missing+=(chromium); needs+=("browser tests"); }
  command -v openssl >/dev/null 2>&1 || { missing+=(openssl); needs+=("TLS proxy test"); }
fi
if [ "${SKIP_REDIS_TESTS:-}" != 1 ]; then
  command -v "$redis" >/dev/null 2>&1 || { missing+=(redis-server); needs+=("Redis tests"); }
fi
[ ${#missing[@]} -eq 0 ] && exit 0

packages="${missing[*]}"
why="$(IFS=,; echo "${needs[*]}" | sed 's/,/, /g')"
skip_hint="or skip those tests on purpose with SKIP_BROWSER_TESTS=1 and/or SKIP_REDIS_TESTS=1."

if ! command -v apt-get >/dev/null 2>&1; then
  echo "npm test: missing $packages (for the $why) and there is no apt-get here." >&2
  echo "Install them, then put them on PATH or name them: CHROMIUM_PATH=/path/to/chromium," \
    "REDIS_SERVER=/path/to/redis-server (openssl on PATH); $skip_hint" >&2
  exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then
  sudo=(sudo -n)
else
  echo "npm test: missing $packages (for the $why). Install them with:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends $packages" >&2
  echo "then run npm test again; $skip_hint" >&2
  exit 1
fi

echo "npm test: installing $packages with apt-get (missing; needed by the $why)"
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
