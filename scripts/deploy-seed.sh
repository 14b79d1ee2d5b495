#!/usr/bin/env bash
# The main job: the seed example (Pulumi.yaml at the repo root) deployed or destroyed, with the Pulumi CLI and a
# local file state backend, or through the engine harness where the CLI is missing.
# Usage: deploy-seed.sh up|destroy [more arguments for pulumi or the harness]
set -euo pipefail
cd "$(dirname "$0")/.."
verb=${1:-up}
shift || true
case "$verb" in up | destroy) ;; *) echo "usage: $0 up|destroy" >&2; exit 2 ;; esac
if ! command -v pulumi >/dev/null 2>&1; then
  echo "$verb: the Pulumi CLI is not installed ('npm install -g pulumi' fetches it on first run);" >&2
  echo "$verb: running the same program through Pulumi's dynamic-provider host with the engine harness instead" >&2
  exec npm run --silent engine -- "$verb" . "$@"
fi
# An empty passphrase unless one is given: secrets in the local state are still encrypted with it.
export PULUMI_CONFIG_PASSPHRASE="${PULUMI_CONFIG_PASSPHRASE-}"
mkdir -p .pulumi-state
pulumi login --cloud-url "file://$PWD/.pulumi-state" >/dev/null
pulumi stack select dev 2>/dev/null || pulumi stack init dev
npm run build --silent
pulumi "$verb" --yes "$@"
