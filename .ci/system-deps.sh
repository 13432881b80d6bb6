#!/usr/bin/env bash
# Makes sure the Debian packages of .ci/system-packages.txt are installed. As root it installs the
# missing ones (apt-get update once); otherwise it prints the command to run and fails.
set -euo pipefail
here=$(dirname "$0")
missing=()
while read -r pkg _cmd; do
  [[ -z "$pkg" || "$pkg" == \#* ]] && continue
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done < "$here/system-packages.txt"
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y --no-install-recommends "${missing[@]}"
else
  echo "The tests need these Debian packages: sudo apt-get install -y ${missing[*]}" >&2
  exit 2
fi
