// Entry point of the Pulumi program (see `main` in Pulumi.yaml). The project's TypeScript uses
// `module: nodenext`, which Pulumi's built-in ts-node setup does not handle; Pulumi.yaml turns that
// off (`typescript: false`) and this file loads the program through tsx instead, the same loader
// `npm run synth` uses. Type checks stay with `npm test` (tsc --noEmit).
//
// Pulumi's Node.js language host starts the first `node` on PATH, which outside npm is the
// machine's own: on a Node.js other than the project's line the program stops here, before it
// declares anything, and says how to run it on the project's Node.js (stacks/node-runtime.cjs).
'use strict';
const problem = require('./node-runtime.cjs').nodeRuntimeProblem('pulumi up');
if (problem) throw new (require('@pulumi/pulumi').RunError)(`the Pulumi program cannot start: ${problem}`);
require('tsx/cjs');
module.exports = require('./pulumi.ts');
