#!/usr/bin/env bash
# Runs a command with the lab host up: brings it up when it is not running, and takes down only what it brought up.
set -euo pipefail
LAB_SH="$(cd "$(dirname "$0")" && pwd)/lab.sh"
if bash "$LAB_SH" status; then
  exec "$@"
fi
trap 'bash "$LAB_SH" down' EXIT
bash "$LAB_SH" up
"$@"
