#!/usr/bin/env bash
# Sets up (see setup.sh) and runs every check: typecheck, lint and tests of all
# packages, including the differential tests against PyPA packaging and pip.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

# The shared scenario corpus (resolver and packse tests) lives outside the
# repository; point the tests at it when it is not beside the checkout.
if [ -z "${PIPETTE_CORPUS:-}" ]; then
  for candidate in ../shared/corpus ../../shared/corpus /work/shared/corpus; do
    if [ -d "$candidate" ]; then export PIPETTE_CORPUS="$(cd "$candidate" && pwd)"; break; fi
  done
fi
pnpm turbo run typecheck lint test --output-logs=errors-only --concurrency=2
