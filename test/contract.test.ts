/**
 * The contract of every entry point: failures are values, never exceptions.
 *
 * The entry points are found, not listed: every subpath of package.json `exports` is mapped to the
 * source the build bundles for it (tsup.config.ts), so an entry added later is covered at once, and
 * so is every function it exports. Each function is called with hostile arguments in every
 * position (the others valid): revoked Proxies, Proxies whose every trap throws, throwing getters
 * on every name the library reads, `null`, values of every wrong type, DAGs, cycles, 100,000
 * levels of nesting, and lone surrogates and emoji in every string attribute. None may throw (or
 * reject), except with the caller's own callbacks' errors, rethrown unchanged, or, for the two
 * constructors documented to throw on bad options (`createEmulator`, `serve`), with a typed error
 * that names the function.
 *
 * The core's exports are also checked for their structure: each is wrapped once and calls no
 * other export, which is what makes the contract hold by construction (see `guarded` in issues.ts).
 */

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import type { ActionsFlow } from '../src/index.js';
import {
  analyzePatch,
  applyPatch,
  type CreateUserOptions,
  createActionsFlow,
  createUser,
  type PostLoginAction,
  runPostLoginActions,
  signupUser,
} from '../src/index.js';
import tsupConfig from '../tsup.config.js';
import { isResult, revokedProxy, trapsThrowing } from './arbitraries.js';
import { CONNECTION, codesAndPaths, DATABASE_BODY, FIXED_ID, issuesOf, JANE, LATER } from './helpers.js';
import { OFF_ENTRY_MODULES } from './offEntry.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** What a getter or a trap of a hostile value throws: never allowed out of the library. */
const TRAP_ERROR = new Error('hostile input');

/** What the caller's own callbacks throw: the only thing allowed out, unchanged. */
const CALLBACK_ERROR = new Error("the caller's own callback");

function throwTrap(): never {
  throw TRAP_ERROR;
}

function throwingCallback(): never {
  throw CALLBACK_ERROR;
}

/** Every name the library reads off an argument: each becomes a throwing getter. */
const READ_NAMES = [
  ...'user_id email email_verified username phone_number phone_verified given_name family_name name nickname picture blocked identities created_at updated_at last_password_reset user_metadata app_metadata password connection client_id verify_email verify_phone_number'.split(
    ' ',
  ),
  ...'now generateId scopes subject action userId patch kind path before value code message fields include_fields length 0 1 then fetch baseUrl token id rule title request expect method url headers body status handle port host closeTimeout domain users clientId clientSecret clientScopes tokenLifetime maxBodyBytes passwordHashIterations requestLogSize rateLimit searchLagMs onUsersChange onWarning onError onDroppedData controlHosts api issues'.split(
    ' ',
  ),
];

/** Every string attribute a user or a body may carry. */
const STRING_ATTRIBUTES = [
  'user_id',
  'email',
  'username',
  'phone_number',
  'given_name',
  'family_name',
  'name',
  'nickname',
  'picture',
  'password',
  'connection',
  'client_id',
  'created_at',
  'updated_at',
];

function everyString(text: string): Record<string, unknown> {
  const value: Record<string, unknown> = {
    identities: [{ connection: text, user_id: text, provider: text, isSocial: false }],
    user_metadata: { [text]: text },
    app_metadata: { [text]: [text] },
  };
  for (const name of STRING_ATTRIBUTES) value[name] = name === 'email' ? `${text}@example.com` : text;
  return value;
}

function nest(depth: number, wrap: (inner: unknown) => unknown): unknown {
  let value: unknown = 'bottom';
  for (let level = 0; level < depth; level++) value = wrap(value);
  return value;
}

/** A DAG: every level holds the one below twice, so the tree it stands for has 2^depth leaves. */
function dag(depth: number): unknown {
  return nest(depth, (inner) => ({ a: inner, b: inner }));
}

function cycle(): unknown {
  const value: Record<string, unknown> = { user_id: 'auth0|1', identities: [], created_at: '', updated_at: '' };
  const metadata: Record<string, unknown> = { back: value };
  metadata.self = metadata;
  value.user_metadata = metadata;
  return value;
}

/** The hostile values, built fresh for each call (a cycle or a Proxy is never shared between positions). */
const HOSTILE: Readonly<Record<string, () => unknown>> = {
  null: () => null,
  undefined: () => undefined,
  zero: () => 0,
  NaN: () => Number.NaN,
  'a string': () => 'J😀ane',
  'a lone surrogate': () => '\uD83D',
  true: () => true,
  'a BigInt': () => 1n,
  'a symbol': () => Symbol('hostile'),
  'a function returning 1': () => () => 1,
  'a throwing callback': () => throwingCallback,
  'an empty array': () => [],
  'an empty object': () => ({}),
  'a revoked Proxy of an object': () => revokedProxy({}),
  'a revoked Proxy of an array': () => revokedProxy([]),
  'a Proxy of an object whose every trap throws': () =>
    new Proxy(
      {},
      trapsThrowing(() => TRAP_ERROR),
    ),
  'a Proxy of an array whose every trap throws': () =>
    new Proxy(
      [],
      trapsThrowing(() => TRAP_ERROR),
    ),
  'throwing getters on every name read': () =>
    Object.defineProperties(
      {},
      Object.fromEntries(READ_NAMES.map((name) => [name, { get: throwTrap, enumerable: true }])),
    ),
  'callbacks that throw': () => ({ now: throwingCallback, generateId: throwingCallback, fetch: throwingCallback }),
  'a stored user with a throwing getter': () =>
    Object.defineProperty({ ...JANE }, 'user_metadata', { get: throwTrap, enumerable: true }),
  'emoji in every string attribute': () => everyString('J😀ane'),
  'lone surrogates in every string attribute': () => everyString('\uDE00J\uD83D'),
  'a DAG 16 levels deep': () => ({ ...JANE, user_metadata: { a: dag(16) } }),
  'a cycle': cycle,
  'objects nested 100,000 deep': () => ({ ...JANE, user_metadata: { a: nest(100_000, (inner) => ({ a: inner })) } }),
  'arrays nested 100,000 deep': () => nest(100_000, (inner) => [inner]),
};

/**
 * Valid arguments of each function, so that a hostile value in one position is read past the
 * checks of the others. An export missing here (one added later) is still called with hostile
 * values in every position, beside `undefined`.
 */
const VALID_ARGUMENTS: Readonly<Record<string, () => unknown[]>> = {
  applyPatch: () => [JANE, { user_metadata: { a: 1 } }, {}],
  analyzePatch: () => [JANE, { user_metadata: { a: 1 } }, {}],
  diffToPatch: () => [JANE, { ...JANE, user_metadata: { a: 1 } }],
  selectFields: () => [JANE, { fields: 'user_metadata', include_fields: 'true' }],
  validatePatch: () => [{ user_metadata: { a: 1 } }],
  createUser: () => [{ connection: CONNECTION, email: 'a@example.com', password: 'Pw1!xxxx' }, {}],
  validateCreateUser: () => [{ connection: CONNECTION, email: 'a@example.com', password: 'Pw1!xxxx' }],
  signupUser: () => [{ client_id: 'app', connection: CONNECTION, email: 'a@example.com', password: 'Pw1!xxxx' }, {}],
  validateSignup: () => [{ client_id: 'app', connection: CONNECTION, email: 'a@example.com', password: 'Pw1!xxxx' }],
  validateSignupMetadata: () => [{ hobby: 'surfing' }],
  authorizeUserRequest: () => [{ scopes: ['read:users'], subject: 'app@clients' }, { action: 'list' }],
  createActionsFlow: () => [JANE],
  runPostLoginActions: () => [JANE, [], {}],

  describeEffect: () => [{ kind: 'add', path: ['user_metadata', 'a'], value: 1 }],
  formatPath: () => [['user_metadata', 0]],
  toAuth0Error: () => [[{ code: 'empty_body', path: [], message: 'None of the valid schemas were met' }]],
  searchUsers: () => [[JANE], { q: 'email:"jane.doe@example.com"', page: 0, per_page: 10 }],
  findUsersByEmail: () => [[JANE], { email: 'jane.doe@example.com' }],
  parseSearchQuery: () => ['user_metadata.hobby:surfing'],
  readSeedUser: () => [
    { user_id: 'auth0|jane', email: 'jane.doe@example.com', created_at: '2025-05-01T10:00:00.000Z' },
    {},
  ],
  seedFormOf: () => [{ user_id: 'auth0|jane' }],
  createEmulator: () => [{ passwordHashIterations: 1 }],
  EmulatorSeedError: () => [0, [{ code: 'user_exists', path: [], message: 'The user already exists.' }]],
  toResponse: () => [{ status: 200, headers: {}, body: '{}' }],
  serve: () => [async () => new Response('ok'), { port: 0 }],
  createRequestListener: () => [async () => new Response('ok'), 'http://127.0.0.1'],
  createRequestGuard: () => [{ boundHost: '127.0.0.1', allowedHosts: [], allowedOrigins: [] }],
  runConformance: () => [
    { fetch: async () => new Response('{}'), baseUrl: 'https://tenant.auth0.test', token: 't' },
    [],
  ],
};

/** Functions documented to throw a typed error for bad options (their `@throws`, or "rejects"). */
const TYPED_THROWS: ReadonlySet<string> = new Set([
  'createEmulator',
  'serve',
  'createRequestGuard',
  // The helpers of `auth0-metadata/testing`: assertions, and setups that check their arguments.
  'emulatorPerFile',
  'emulatorPerTest',
  'managementClientOptions',
  'expectRequest',
  'waitForRequest',
  'routeFetchToEmulator',
]);

/** The source of each entry point, from package.json `exports` and the build's entries. */
function entryPoints(): readonly { readonly subpath: string; readonly source: string }[] {
  const manifest: unknown = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const exportsField: unknown =
    typeof manifest === 'object' && manifest !== null ? Reflect.get(manifest, 'exports') : {};
  const configs = Array.isArray(tsupConfig) ? tsupConfig : [tsupConfig];
  const entries: Record<string, string> = {};
  for (const config of configs) {
    const entry: unknown = Reflect.get(config, 'entry');
    if (typeof entry === 'object' && entry !== null && !Array.isArray(entry)) Object.assign(entries, entry);
  }
  return Object.entries(typeof exportsField === 'object' && exportsField !== null ? exportsField : {}).flatMap(
    ([subpath, target]) => {
      const file = JSON.stringify(target).match(/"\.\/dist\/([\w-]+)\.js"/)?.[1];
      const source = file === undefined ? undefined : entries[file];
      return source === undefined ? [] : [{ subpath, source }];
    },
  );
}

/** The entry points, then the core modules the emulator imports by path (`#core`). */
const ENTRIES = [...entryPoints(), ...OFF_ENTRY_MODULES.map((source) => ({ subpath: '#core', source }))];

/** Every function export of every entry point. */
async function functionExports(): Promise<{ subpath: string; name: string; fn: (...args: unknown[]) => unknown }[]> {
  const found: { subpath: string; name: string; fn: (...args: unknown[]) => unknown }[] = [];
  for (const { subpath, source } of ENTRIES) {
    const module: Record<string, unknown> = await import(join(root, source));
    for (const [name, value] of Object.entries(module)) {
      if (found.some((other) => other.name === name)) continue;
      if (typeof value === 'function')
        found.push({ subpath, name, fn: (...args) => Reflect.apply(value, undefined, args) });
      if (typeof value === 'function' && /^class\b/.test(Function.prototype.toString.call(value))) {
        found.pop();
        found.push({ subpath, name, fn: (...args) => Reflect.construct(value, args) });
      }
    }
  }
  return found;
}

const EXPORTS = await functionExports();

/** Each function export as its module defines it, by name (for its source text). */
const RAW = new Map<string, unknown>();
for (const { source } of ENTRIES) {
  const module: Record<string, unknown> = await import(join(root, source));
  for (const [name, value] of Object.entries(module)) if (!RAW.has(name)) RAW.set(name, value);
}

/** What a call gave: a value, or what it threw (or rejected with). */
async function settle(run: () => unknown): Promise<{ threw: boolean; value: unknown }> {
  try {
    const value = run();
    return { threw: false, value: value instanceof Promise ? await value : value };
  } catch (error) {
    return { threw: true, value: error };
  }
}

/** Closes what a call opened (a server), so the suite leaves nothing behind. */
async function cleanUp(value: unknown): Promise<void> {
  if (typeof value !== 'object' || value === null) return;
  const close = Object.getOwnPropertyDescriptor(value, 'close')?.value;
  if (typeof close === 'function' && Object.hasOwn(value, 'url')) await Reflect.apply(close, value, []);
}

/** Why a thrown value breaks the contract, or `undefined` when it may be thrown. */
function breach(name: string, thrown: unknown): string | undefined {
  if (thrown === CALLBACK_ERROR) return undefined;
  if (TYPED_THROWS.has(name) && thrown instanceof Error && thrown !== TRAP_ERROR) {
    const message = thrown.message;
    if (message.startsWith(`${name}:`) || Object.hasOwn(thrown, 'code')) return undefined;
  }
  return `threw ${thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : String(thrown)}`;
}

/** The calls of one export: each hostile value in each position, and in every position at once. */
function callsOf(name: string, arity: number): { label: string; args: () => unknown[] }[] {
  const valid = VALID_ARGUMENTS[name] ?? (() => []);
  const positions = Math.max(arity, valid().length, 1);
  const calls: { label: string; args: () => unknown[] }[] = [];
  for (const [what, make] of Object.entries(HOSTILE)) {
    for (let position = 0; position < positions; position++) {
      calls.push({
        label: `${what} as argument ${position + 1}`,
        args: () => {
          const args = valid();
          args[position] = make();
          return args;
        },
      });
    }
    // One value in every position: the same cycle (or DAG) on both sides of a two-user function.
    calls.push({
      label: `${what} in every position`,
      args: () => {
        const value = make();
        return Array.from({ length: positions }, () => value);
      },
    });
  }
  return calls;
}

describe('the entry points are found', () => {
  test('every subpath of package.json exports that holds code maps to a source file', () => {
    expect(ENTRIES.map(({ subpath }) => subpath)).toEqual(
      expect.arrayContaining(['.', './emulator', './node', './conformance']),
    );
    expect(EXPORTS.length).toBeGreaterThan(20);
  });
});

describe.each(EXPORTS)('$subpath $name', ({ name, fn }) => {
  test('never throws on hostile arguments in any position', async () => {
    const breaches: string[] = [];
    for (const { label, args } of callsOf(name, fn.length)) {
      const outcome = await settle(() => fn(...args()));
      const problem = outcome.threw ? breach(name, outcome.value) : undefined;
      if (problem !== undefined) breaches.push(`${label}: ${problem}`);
      if (!outcome.threw) await cleanUp(outcome.value);
      // A Result-returning function answers with a Result.
      if (!outcome.threw && typeof outcome.value === 'object' && outcome.value !== null && 'success' in outcome.value) {
        if (!isResult(outcome.value)) breaches.push(`${label}: returned something that is not a Result`);
      }
    }
    expect(breaches).toStrictEqual([]);
  }, 120_000);
});

describe('the members of what the exports return', () => {
  test.each(['toPatch', 'commit'])(
    'an Actions flow: %s and the api never throw, on any user',
    async (member) => {
      const core = await import('../src/index.js');
      const breaches: string[] = [];
      for (const [what, make] of Object.entries(HOSTILE)) {
        const flow: ActionsFlow = Reflect.apply(core.createActionsFlow, undefined, [make()]);
        for (const [valueName, makeValue] of Object.entries(HOSTILE)) {
          const set = await settle(() =>
            Reflect.apply(flow.api.user.setUserMetadata, undefined, [make(), makeValue()]),
          );
          if (set.threw) breaches.push(`setUserMetadata(${what}, ${valueName}): ${breach(member, set.value)}`);
        }
        const call = Reflect.get(flow, member);
        const outcome = await settle(() => Reflect.apply(call, flow, [make()]));
        const problem = outcome.threw ? breach(member, outcome.value) : undefined;
        if (problem !== undefined) breaches.push(`${member} on ${what}: ${problem}`);
        if (!outcome.threw && !isResult(outcome.value)) breaches.push(`${member} on ${what}: not a Result`);
      }
      expect(breaches).toStrictEqual([]);
    },
    120_000,
  );
});

describe('total by construction', () => {
  /** The names of the core's function exports. */
  const coreExports = EXPORTS.filter(({ subpath }) => subpath === '.' || subpath === '#core').map(({ name }) => name);
  const sources = new Map<string, string>();

  test.each(coreExports)('%s is wrapped once and calls no other export', async (name) => {
    const value = RAW.get(name);
    const text = typeof value === 'function' ? Function.prototype.toString.call(value) : '';
    sources.set(name, text);
    // Through the test transform an imported call reads `(0, module.safely)(`: match the name.
    const wrappers = text.match(/\b(?:guarded|safely)\b/g) ?? [];
    expect(wrappers.length, `${name} calls a wrapper`).toBeGreaterThanOrEqual(1);
    const others = coreExports.filter((other) => other !== name && new RegExp(`\\b${other}\\b\\)?\\(`).test(text));
    expect(others, `${name} calls another export`).toStrictEqual([]);
  });
});

describe("the caller's own callbacks", () => {
  /** The error a broken callback throws: it must reach the caller as it is, not as an issue. */
  const broken = new Error('the clock broke');
  const brokenClock = {
    now: (): Date => {
      throw broken;
    },
  };
  const brokenIds = {
    now: () => new Date(LATER),
    generateId: (): string => {
      throw broken;
    },
  };
  const signup = { client_id: 'client', connection: CONNECTION, email: 'new@example.com', password: 'Passw0rd!' };

  /** Every export that takes write options, called with `options`. */
  const withOptions: readonly (readonly [string, (options: CreateUserOptions) => unknown])[] = [
    ['applyPatch', (options) => applyPatch(JANE, { user_metadata: { a: 1 } }, options)],
    ['analyzePatch', (options) => analyzePatch(JANE, { user_metadata: { a: 1 } }, options)],
    ['createUser', (options) => createUser(DATABASE_BODY, options)],
    ['signupUser', (options) => signupUser(signup, options)],
    [
      'an Actions flow commit',
      (options) => {
        const flow = createActionsFlow(JANE);
        flow.api.user.setUserMetadata('a', 1);
        return flow.commit(options);
      },
    ],
  ];
  const nested = withOptions.flatMap(([outer, callOuter]) =>
    withOptions.map(([inner, callInner]) => [outer, inner, callOuter, callInner] as const),
  );

  test.each<[string, () => unknown]>([
    ['applyPatch with a throwing now', () => applyPatch(JANE, { user_metadata: { a: 1 } }, brokenClock)],
    ['analyzePatch with a throwing now', () => analyzePatch(JANE, { user_metadata: { a: 1 } }, brokenClock)],
    ['createUser with a throwing now', () => createUser(DATABASE_BODY, brokenClock)],
    ['createUser with a throwing generateId', () => createUser(DATABASE_BODY, brokenIds)],
    ['signupUser with a throwing generateId', () => signupUser(signup, brokenIds)],
  ])('%s throws that very error', (_name, call) => {
    expect(call).toThrow(broken);
  });

  test('runPostLoginActions with a throwing now rejects with that very error', async () => {
    const touch: PostLoginAction = (_event, api) => api.user.setUserMetadata('a', 1);
    await expect(runPostLoginActions(JANE, [touch], brokenClock)).rejects.toBe(broken);
  });

  test.each(nested)(
    "%s, inside whose now %s fails with a broken clock: the callback sees the caller's own error",
    (_outer, _inner, callOuter, callInner) => {
      const seen: unknown[] = [];
      const clock = (): Date => {
        try {
          callInner(brokenIds);
          callInner(brokenClock);
        } catch (error) {
          seen.push(error);
        }
        return new Date(LATER);
      };
      callOuter({ now: clock, generateId: () => FIXED_ID });
      expect(seen.length).toBeGreaterThan(0);
      for (const error of seen) expect(error).toBe(broken);
    },
  );

  test.each(nested)(
    '%s, inside whose now %s throws through: the outer call throws that very error',
    (_outer, _inner, callOuter, callInner) => {
      const clock = (): Date => {
        callInner(brokenClock);
        return new Date(LATER);
      };
      expect(() => callOuter({ now: clock, generateId: () => FIXED_ID })).toThrow(broken);
    },
  );

  test('a thrown non-Error value is rethrown as it was', () => {
    const thrown = { reason: 'not an Error' };
    expect(() =>
      applyPatch(
        JANE,
        { user_metadata: { a: 1 } },
        {
          now: () => {
            throw thrown;
          },
        },
      ),
    ).toThrow(expect.objectContaining(thrown));
  });

  test('hostile input that throws still gives an issue, not an exception', () => {
    const hostile = new Proxy(
      {},
      {
        ownKeys: () => {
          throw broken;
        },
      },
    );
    expect(codesAndPaths(issuesOf(applyPatch(JANE, { user_metadata: { a: hostile } }, brokenClock)))).toStrictEqual([
      { code: 'not_json', path: ['user_metadata', 'a'] },
    ]);
  });
});
