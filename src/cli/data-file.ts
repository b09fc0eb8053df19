import { readIdentity } from '../emulator/identity.js';
import type { EmulatorIdentity } from '../emulator/index.js';
import { isSeedEntry } from '../emulator/seedDocument.js';
import type { SeedEntry } from '../readSeedUser.js';
import type { User } from '../types.js';
import { messageOf } from './messages.js';
import { parseSeed } from './seed.js';

/**
 * What `serve --data` keeps with the users so that a restart is invisible to a running app: the
 * client's id and secret, the key that signs tokens, and each user's password hash.
 */
export interface TenantIdentity extends EmulatorIdentity {
  readonly clientId: string;
  readonly clientSecret: string;
}

/** A data file read: its users, and its identity (none in a file of the first format, a plain array of users). */
export interface DataFileContent {
  readonly users: readonly SeedEntry[];
  readonly identity: TenantIdentity | undefined;
  /** Which journal lines follow this file (those of the same generation; 0 for a file of the first format). */
  readonly generation: number;
}

function ownField(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null ? Object.getOwnPropertyDescriptor(value, name)?.value : undefined;
}

function readTenantIdentity(value: unknown): TenantIdentity {
  const clientId = ownField(value, 'clientId');
  const clientSecret = ownField(value, 'clientSecret');
  if (typeof clientId !== 'string' || clientId === '') throw new TypeError('identity: clientId must be a string');
  if (typeof clientSecret !== 'string' || clientSecret === '') {
    throw new TypeError('identity: clientSecret must be a string');
  }
  return { clientId, clientSecret, ...readIdentity(value) };
}

/**
 * Reads a data file: `{"users": [...], "identity": {...}}` as `serve --data` writes it, or any seed
 * form (a plain array of users, as the first format was), which has no identity yet. A one-line
 * reason otherwise.
 */
export function readDataFileContent(text: string, file: string): DataFileContent | string {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    // Not one JSON document: NDJSON, or not JSON at all (parseSeed says which).
    document = undefined;
  }
  const identityValue = ownField(document, 'identity');
  if (document === undefined || Array.isArray(document) || identityValue === undefined) {
    const parsed = parseSeed(text, file, 'data file');
    return parsed.ok ? { users: parsed.users, identity: undefined, generation: 0 } : parsed.message;
  }
  let identity: TenantIdentity;
  try {
    identity = readTenantIdentity(identityValue);
  } catch (error) {
    return `data file ${file}, ${messageOf(error)}`;
  }
  // A file serve wrote: its users are checked once, by createEmulator (which names the user at fault).
  const users = ownField(document, 'users');
  if (!Array.isArray(users) || !users.every(isSeedEntry)) {
    return `data file ${file} must hold "users": an array of users (objects)`;
  }
  const generation = ownField(document, 'generation');
  return {
    users,
    identity,
    generation: Number.isSafeInteger(generation) && typeof generation === 'number' ? generation : 0,
  };
}

/** The text of a data file: the users as GET returns them, the identity, and the generation of the journal that follows it. */
export function renderDataFile(users: readonly User[], identity: TenantIdentity, generation: number): string {
  const { clientId, clientSecret, signingKey, passwords } = identity;
  return `${JSON.stringify({ users, identity: { clientId, clientSecret, signingKey, passwords }, generation }, null, 2)}\n`;
}
