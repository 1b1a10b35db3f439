#!/usr/bin/env bash
# Browser tests need Debian's Chromium (never a downloaded browser) and axe-core from npm.
set -u
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "browser-deps: installing Debian's chromium"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null 2>&1
  fi
  [ -x /usr/bin/chromium ] || echo "browser-deps: /usr/bin/chromium is missing (apt-get install chromium); browser tests will skip" >&2
fi
# compilemessages (make demo / make test) needs GNU gettext's msgfmt.
if ! command -v msgfmt >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "browser-deps: installing gettext (msgfmt) for compilemessages"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext) >/dev/null 2>&1
  fi
  command -v msgfmt >/dev/null || echo "browser-deps: msgfmt is missing (apt-get install gettext); translations will not compile" >&2
fi
if [ -f package.json ] && [ ! -f node_modules/axe-core/axe.min.js ]; then
  if command -v npm >/dev/null; then
    npm install --no-audit --no-fund --silent >/dev/null 2>&1 || echo "browser-deps: npm install failed" >&2
  else
    echo "browser-deps: npm is missing (apt-get install npm); accessibility audits will skip" >&2
  fi
fi
exit 0
