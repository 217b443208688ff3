// Entry point of the Pulumi program (see `main` in Pulumi.yaml). The project's TypeScript uses
// `module: nodenext`, which Pulumi's built-in ts-node setup does not handle; Pulumi.yaml turns that
// off (`typescript: false`) and this file loads the program through tsx instead, the same loader
// `npm run synth` uses. Type checks stay with `npm test` (tsc --noEmit).
'use strict';
require('tsx/cjs');
module.exports = require('./pulumi.ts');
