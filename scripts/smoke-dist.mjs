// The built package, imported as ESM by its own name, must work end to end.
import assert from 'node:assert/strict';
import { applyPatch, createUser, selectFields, toAuth0Error, validateSignupMetadata } from 'auth0-metadata';

const created = createUser({ connection: 'db', email: 'Ann@Example.com', password: 'pw', user_metadata: { a: 1 } });
assert.ok(created.success);
assert.equal(created.value.email, 'ann@example.com');
const patched = applyPatch(created.value, { user_metadata: { a: null, b: { c: 2 } } });
assert.ok(patched.success);
assert.deepEqual(patched.value.user_metadata, { b: { c: 2 } });
assert.deepEqual(selectFields(patched.value, { fields: 'user_metadata' }).value, { user_metadata: { b: { c: 2 } } });
const signup = validateSignupMetadata({ n: 1 });
assert.ok(!signup.success);
assert.equal(toAuth0Error(signup.issues).status, 400);
console.log('ESM import of the built package: ok');
