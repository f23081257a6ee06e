#!/usr/bin/env bash
# Installs everything the tests need on a fresh Debian/Ubuntu machine, then runs them.
# The README's test command and CI's .ci/run both call this, so they cannot drift.
set -euo pipefail
cd "$(dirname "$0")/.."

# libenchant-2-2 and hunspell-en-gb: msgen check's spelling rule (pyenchant) reads the British English dictionary,
# and aspell-cy the Welsh one (Debian has no hunspell-cy; enchant reads aspell's); chromium (with axe-core, below) audits the web pages
system_packages=(libreoffice-writer-nogui poppler-utils fonts-crosextra-carlito fonts-crosextra-caladea
                 libenchant-2-2 hunspell-en-gb aspell-cy chromium)
missing=()
for package in "${system_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
command -v npm >/dev/null || missing+=(nodejs npm)
if [ ${#missing[@]} -gt 0 ]; then
  as_root=(); [ "$(id -u)" -eq 0 ] || as_root=(sudo)
  echo "installing ${missing[*]} (LibreOffice opens and converts the generated documents in the tests;" \
       "enchant, hunspell-en-gb and aspell-cy check spelling; Chromium and Node audit the web pages)"
  "${as_root[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# axe-core and the Chromium driver, at the versions tests/browser/package-lock.json pins
# (no browser download: Debian's chromium runs the pages).
# Offline, the audit's tests are skipped (and fail under CI) rather than stopping every other test.
[ -f tests/browser/node_modules/.package-lock.json ] || (cd tests/browser && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --silent) \
  || echo "npm ci failed in tests/browser: the web page audit cannot run"

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'
exec .venv/bin/python -m pytest "$@"
