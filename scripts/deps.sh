#!/bin/sh
# Installs the Debian packages maitred needs to build, test and benchmark.
# Idempotent: installs only what is missing, and refreshes the package lists
# at most once per run.
set -eu

PACKAGES="build-essential cmake pkg-config git curl ca-certificates tzdata
libmicrohttpd-dev libjansson-dev libsqlite3-dev libsodium-dev libutf8proc-dev
libcurl4-openssl-dev libcmocka-dev libstemmer-dev libqrencode-dev sqlite3
chromium chromium-driver fonts-dejavu-core wrk"

missing=""
for p in $PACKAGES; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
		missing="$missing $p"
	fi
done

# Node.js may come from another packaging that bundles npm; install
# Debian's only when there is none at all.
if ! command -v npm >/dev/null 2>&1; then
	missing="$missing nodejs npm"
fi

if [ -z "$missing" ]; then
	exit 0
fi

echo "deps: installing$missing"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing
