/**
 * Auth0's behaviour as data, each fact written once. Every table here is deeply frozen; the
 * functions of the library read them, and cite the entry they apply. Rule numbers refer to the
 * behaviour spec, `auth0-metadata.md`.
 *
 * - `attributes.ts`: the root attributes (type, limits, nullable, patchable, creatable, stored,
 *   description), conflicting pairs, required attributes, timestamps.
 * - `metadata.ts`: `user_metadata` / `app_metadata` (what an empty one becomes, reserved names).
 * - `limits.ts`: sizes, depths, counts and paging limits.
 * - `scopes.ts`: the scopes of the users endpoints and what each grants.
 * - `http.ts`: statuses, reason phrases and the answers to request faults (body, path, route).
 * - `oauth.ts`: the errors of `/oauth/token`.
 * - `signup.ts`: the fields of a signup body.
 * - `search.ts`: user search (GET /api/v2/users with `q`), by the search spec's rule ids.
 * - `seeds.ts`: the user formats a seed of the emulator may take.
 * - `tenant.ts`: what no two users share, what a login records, signup and bulk-import facts.
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
