#!/usr/bin/env bash
# The main job: `pulumi up` of the seed example (Pulumi.yaml at the repo root) with a local file state backend.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v pulumi >/dev/null 2>&1; then
  echo "deploy: the Pulumi CLI is not installed ('npm install -g pulumi' fetches it on first run);" >&2
  echo "deploy: running the same program through Pulumi's dynamic-provider host with the engine harness instead" >&2
  exec npm run --silent engine -- up . "$@"
fi
# An empty passphrase unless one is given: secrets in the local state are still encrypted with it.
export PULUMI_CONFIG_PASSPHRASE="${PULUMI_CONFIG_PASSPHRASE-}"
mkdir -p .pulumi-state
pulumi login --cloud-url "file://$PWD/.pulumi-state" >/dev/null
pulumi stack select dev 2>/dev/null || pulumi stack init dev
npm run build --silent
pulumi up --yes "$@"
