/**
 * Auth0's behaviour as data, each fact written once. Every table here is deeply frozen; the
 * functions of the library read them, and cite the entry they apply.
 *
 * Citations: "rule 12" anywhere in src/ or test/ is `### Rule 12` of docs/rules.md
 * (docs/rules.md#rule-12), with its source and whether Auth0 documents it, a live tenant was
 * recorded doing it, or it is this project's decision; "S20" is `### S20` of docs/search-rules.md
 * (docs/search-rules.md#s20); "section 2" is docs/rules.md#section-2. `test/docs-rules.test.ts`
 * fails on a citation without its heading.
 *
 * - `attributes.ts`: the root attributes (type, limits, nullable, patchable, creatable, stored,
 *   description), conflicting pairs, required attributes, timestamps.
 * - `metadata.ts`: `user_metadata` / `app_metadata` (what an empty one becomes, reserved names).
 * - `limits.ts`: sizes, depths, counts and paging limits.
 * - `scopes.ts`: the scopes of the users endpoints and what each grants.
 * - `http.ts`: statuses, reason phrases and the answers to transport reasons (body, path, route).
 * - `oauth.ts`: the errors of `/oauth/token`.
 * - `signup.ts`: the fields of a signup body.
 * - `search.ts`: user search (GET /api/v2/users with `q`), by the ids of docs/search-rules.md.
 * - `seeds.ts`: the user formats a seed of the emulator may take.
 * - `tenant.ts`: what no two users share (`UniqueAttribute`), what a login records, signup and bulk-import facts.
 */
export * from './attributes.js';
export * from './http.js';
export * from './limits.js';
export * from './metadata.js';
export * from './oauth.js';
export * from './scopes.js';
export * from './search.js';
export * from './seeds.js';
export * from './signup.js';
export * from './tenant.js';
