// The built package, required as CommonJS by its own name, must work end to end.
const assert = require('node:assert/strict');
const { applyPatch, createUser, toAuth0Error } = require('auth0-metadata');

const created = createUser({ connection: 'db', email: 'ann@example.com', password: 'pw', app_metadata: { plan: 'x' } });
assert.ok(created.success);
const cleared = applyPatch(created.value, { app_metadata: {} });
assert.ok(cleared.success);
assert.equal('app_metadata' in cleared.value, false);
const bad = applyPatch(created.value, {});
assert.ok(!bad.success);
assert.equal(toAuth0Error(bad.issues).body.errorCode, 'invalid_body');
console.log('CJS require of the built package: ok');
