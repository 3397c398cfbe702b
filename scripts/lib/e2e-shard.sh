#!/usr/bin/env bash
# Runs a share of the end-to-end tests on test services of its own (Xvfb, D-Bus, gnome-keyring,
# from scripts/lib/test-services.sh), so it can run beside another share without the two windows
# sharing a display, a clipboard or a keychain:
#
#   bash scripts/lib/e2e-shard.sh E2E_TEST_BINARY [TEST ARGUMENTS…]
#
# scripts/test starts it in a process group of its own and ends the group when it stops early;
# the services go with it.
set -euo pipefail
cd "$(dirname "$0")/../.."
e2e_bin=$1
shift
source scripts/lib/test-services.sh
trap stop_test_services EXIT
trap 'exit 143' TERM INT
start_test_services
cd tests/e2e
"$e2e_bin" "$@"
