// Stands in for node:assert in the function bundles (FUNCTION_BUNDLING's --alias in lib/api-function.ts) and loads it
// only when an assertion fails. Its one user there is cls-hooked (the X-Ray SDK's context store), which calls
// assert.ok on every context it enters and leaves; loading node:assert brings its diff and colour internals, about
// 3 ms of CPU at every cold start, for checks that pass. A failing check still throws Node's own AssertionError, and
// every other export reads and writes through to the real module; test/unit/bundling.test.ts checks the names
// against Node's.
'use strict';

const NAMES = [
  'AssertionError', 'CallTracker', 'ok', 'fail', 'equal', 'notEqual', 'deepEqual', 'notDeepEqual', 'deepStrictEqual',
  'notDeepStrictEqual', 'strictEqual', 'notStrictEqual', 'partialDeepStrictEqual', 'match', 'doesNotMatch', 'throws',
  'rejects', 'doesNotThrow', 'doesNotReject', 'ifError', 'strict', 'Assert',
];

function ok(value, message) {
  if (!value) real().ok(value, message);
}
ok.ok = ok;

const real = require('./builtin-on-first-use.cjs')(ok, 'node:assert', NAMES.filter((name) => name !== 'ok'));
module.exports = ok;
