#!/usr/bin/env bash
# Sets up (see setup.sh) and runs every check: typecheck, lint and tests of all
# packages, including the differential tests against PyPA packaging and pip.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
pnpm turbo run typecheck lint test --output-logs=errors-only --concurrency=2
