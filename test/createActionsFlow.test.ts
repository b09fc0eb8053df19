import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  type ActionsFlow,
  type ActionsUser,
  applyPatch,
  createActionsFlow,
  type JsonObject,
  type JsonValue,
  MAX_ACTIONS_METADATA_BYTES,
  type PostLoginAction,
  runPostLoginActions,
} from '../src/index.js';
import {
  appMetadataKey,
  comparable,
  defineOwn,
  HOSTILE_RUNS,
  hostileValue,
  jsonValue,
  metadataKey,
  patchedNow,
  revokedProxy,
  storedUser,
  throwing,
  trapsThrowing,
} from './arbitraries.js';
import { at, deepFreeze, issuesOf, JANE, janeWith, LATER, outcome, successValue } from './helpers.js';
import { prop } from './prop.js';

function codesOf(issues: readonly { readonly code: string }[]): string[] {
  return issues.map(({ code }) => code);
}

/** A string whose JSON in a one-key object `{"k":"..."}` is exactly `bytes` bytes long. */
function valueFilling(bytes: number): string {
  return 'x'.repeat(bytes - '{"k":""}'.length);
}

describe('createActionsFlow: event.user', () => {
  test('shows each setUserMetadata call at once', () => {
    const flow = createActionsFlow(JANE);
    flow.api.user.setUserMetadata('theme', 'dark');
    expect(flow.event.user.user_metadata).toStrictEqual({ theme: 'dark' });
  });

  test('shows each setAppMetadata call at once', () => {
    const flow = createActionsFlow(janeWith({ app_metadata: { plan: 'free' } }));
    flow.api.user.setAppMetadata('plan', 'pro');
    flow.api.user.setAppMetadata('seats', 3);
    expect(flow.event.user.app_metadata).toStrictEqual({ plan: 'pro', seats: 3 });
  });

  test('keeps the stored keys that no call names', () => {
    const flow = createActionsFlow(janeWith({ user_metadata: { lang: 'en', prefs: { a: 1 } } }));
    flow.api.user.setUserMetadata('theme', 'dark');
    expect(flow.event.user.user_metadata).toStrictEqual({ lang: 'en', prefs: { a: 1 }, theme: 'dark' });
  });

  test('removes a key set to null at once', () => {
    const flow = createActionsFlow(janeWith({ user_metadata: { theme: 'dark', lang: 'en' } }));
    flow.api.user.setUserMetadata('theme', null);
    expect(flow.event.user.user_metadata).toStrictEqual({ lang: 'en' });
  });

  test('keeps the attributes other than metadata', () => {
    const flow = createActionsFlow(janeWith({ user_metadata: { theme: 'dark' } }));
    flow.api.user.setAppMetadata('plan', 'pro');
    const { user_metadata: _user, app_metadata: _app, ...rest } = flow.event.user;
    const { user_metadata: _storedUser, app_metadata: _storedApp, ...stored } = JANE;
    expect(rest).toStrictEqual(stored);
  });

  test('gives {} for both metadata of a user that has none', () => {
    const flow = createActionsFlow(JANE);
    expect(flow.event.user.user_metadata).toStrictEqual({});
    expect(flow.event.user.app_metadata).toStrictEqual({});
  });

  test('gives {} for app_metadata while only user_metadata is set, and the reverse', () => {
    const flow = createActionsFlow(JANE);
    flow.api.user.setUserMetadata('theme', 'dark');
    expect(flow.event.user.app_metadata).toStrictEqual({});
    const other = createActionsFlow(JANE);
    other.api.user.setAppMetadata('plan', 'pro');
    expect(other.event.user.user_metadata).toStrictEqual({});
  });

  test('gives {}, never undefined, once the last key is removed', () => {
    const flow = createActionsFlow(janeWith({ user_metadata: { theme: 'dark' }, app_metadata: { plan: 'pro' } }));
    flow.api.user.setUserMetadata('theme', null);
    flow.api.user.setAppMetadata('plan', null);
    expect(flow.event.user.user_metadata).toStrictEqual({});
    expect(flow.event.user.app_metadata).toStrictEqual({});
  });

  test('lets a later Action read what an earlier one set', async () => {
    const seen: ActionsUser[] = [];
    const setTheme: PostLoginAction = (_event, api) => api.user.setUserMetadata('theme', 'dark');
    const readTheme: PostLoginAction = (event) => {
      seen.push(event.user);
    };
    successValue(await runPostLoginActions(JANE, [readTheme, setTheme, readTheme], at(LATER)));
    expect(seen.map((user) => user.user_metadata)).toStrictEqual([{}, { theme: 'dark' }]);
  });

  test('lets an Action build on the value another Action wrote (a login counter)', async () => {
    const countLogin: PostLoginAction = (event, api) => {
      const logins = event.user.app_metadata.logins;
      api.user.setAppMetadata('logins', (typeof logins === 'number' ? logins : 0) + 1);
    };
    const user = janeWith({ app_metadata: { logins: 5 } });
    const result = successValue(await runPostLoginActions(user, [countLogin, countLogin, countLogin], at(LATER)));
    expect(result.app_metadata).toStrictEqual({ logins: 8 });
  });
});

describe('createActionsFlow: one batched update', () => {
  test('turns calls from several Actions into one PATCH body', () => {
    const flow = createActionsFlow(janeWith({ user_metadata: { lang: 'en' }, app_metadata: { plan: 'free' } }));
    const first: PostLoginAction = (_event, api) => {
      api.user.setUserMetadata('theme', 'dark');
      api.user.setAppMetadata('plan', 'pro');
    };
    const second: PostLoginAction = (_event, api) => {
      api.user.setUserMetadata('lang', 'fr');
      api.user.setAppMetadata('seats', 3);
    };
    first(flow.event, flow.api);
    second(flow.event, flow.api);
    expect(successValue(flow.toPatch())).toStrictEqual({
      user_metadata: { theme: 'dark', lang: 'fr' },
      app_metadata: { plan: 'pro', seats: 3 },
    });
  });

  test('sends only the metadata that calls touched', () => {
    const flow = createActionsFlow(janeWith({ app_metadata: { plan: 'free' } }));
    flow.api.user.setUserMetadata('theme', 'dark');
    expect(successValue(flow.toPatch())).toStrictEqual({ user_metadata: { theme: 'dark' } });
  });

  test('sends null for a key removed with null', () => {
    const flow = createActionsFlow(janeWith({ user_metadata: { theme: 'dark', lang: 'en' } }));
    flow.api.user.setUserMetadata('theme', null);
    expect(successValue(flow.toPatch())).toStrictEqual({ user_metadata: { theme: null } });
    expect(successValue(flow.commit(at(LATER))).user_metadata).toStrictEqual({ lang: 'en' });
  });

  test('keeps the last value set for a key', () => {
    const flow = createActionsFlow(JANE);
    flow.api.user.setUserMetadata('theme', 'dark');
    flow.api.user.setUserMetadata('theme', 'light');
    expect(successValue(flow.toPatch())).toStrictEqual({ user_metadata: { theme: 'light' } });
    expect(flow.event.user.user_metadata).toStrictEqual({ theme: 'light' });
  });

  test('keeps a later null over an earlier value', () => {
    const flow = createActionsFlow(janeWith({ app_metadata: { plan: 'free' } }));
    flow.api.user.setAppMetadata('plan', 'pro');
    flow.api.user.setAppMetadata('plan', null);
    expect(successValue(flow.toPatch())).toStrictEqual({ app_metadata: { plan: null } });
    expect(successValue(flow.commit(at(LATER)))).not.toHaveProperty('app_metadata');
  });

  test('keeps a later value over an earlier null', () => {
    const flow = createActionsFlow(janeWith({ app_metadata: { plan: 'free' } }));
    flow.api.user.setAppMetadata('plan', null);
    flow.api.user.setAppMetadata('plan', 'pro');
    expect(successValue(flow.toPatch())).toStrictEqual({ app_metadata: { plan: 'pro' } });
  });

  test('keeps the last call across Actions', async () => {
    const setDark: PostLoginAction = (_event, api) => api.user.setUserMetadata('theme', 'dark');
    const setLight: PostLoginAction = (_event, api) => api.user.setUserMetadata('theme', 'light');
    const result = successValue(await runPostLoginActions(JANE, [setDark, setLight], at(LATER)));
    expect(result.user_metadata).toStrictEqual({ theme: 'light' });
  });

  test('replaces a first-level object wholesale, as a PATCH does', () => {
    const flow = createActionsFlow(janeWith({ user_metadata: { addresses: { home: 'Paris', work: 'Lyon' } } }));
    flow.api.user.setUserMetadata('addresses', { work: 'Nice' });
    expect(flow.event.user.user_metadata).toStrictEqual({ addresses: { work: 'Nice' } });
    expect(successValue(flow.commit(at(LATER))).user_metadata).toStrictEqual({ addresses: { work: 'Nice' } });
  });

  test('commits the same user as applyPatch with the batched body', () => {
    const user = janeWith({ user_metadata: { theme: 'dark', lang: 'en' }, app_metadata: { plan: 'free' } });
    const flow = createActionsFlow(user);
    flow.api.user.setUserMetadata('theme', null);
    flow.api.user.setUserMetadata('prefs', { font: 'serif' });
    flow.api.user.setAppMetadata('plan', 'pro');
    const body = { user_metadata: { theme: null, prefs: { font: 'serif' } }, app_metadata: { plan: 'pro' } };
    expect(flow.commit(at(LATER))).toStrictEqual(applyPatch(user, body, at(LATER)));
  });

  test('commits once: updated_at is the time of the final update', () => {
    const flow = createActionsFlow(JANE);
    flow.api.user.setUserMetadata('theme', 'dark');
    flow.api.user.setAppMetadata('plan', 'pro');
    const committed = successValue(flow.commit(at(LATER)));
    expect(committed.updated_at).toBe(LATER);
    expect(committed.user_metadata).toStrictEqual({ theme: 'dark' });
    expect(committed.app_metadata).toStrictEqual({ plan: 'pro' });
  });

  test('has nothing to send when no Action set anything', () => {
    const flow = createActionsFlow(JANE);
    expect(successValue(flow.toPatch())).toBeNull();
    expect(successValue(flow.commit(at(LATER)))).toStrictEqual(JANE);
  });

  test('runs no update for a flow whose Actions set nothing', async () => {
    const readOnly: PostLoginAction = (event) => {
      expect(event.user.user_id).toBe(JANE.user_id);
    };
    expect(successValue(await runPostLoginActions(JANE, [readOnly], at(LATER)))).toStrictEqual(JANE);
  });

  test('fails the final update with the PATCH issue for a reserved app_metadata name', () => {
    const flow = createActionsFlow(JANE);
    flow.api.user.setAppMetadata('email', 'x@example.com');
    expect(codesOf(issuesOf(flow.commit(at(LATER))))).toStrictEqual(['reserved_key']);
  });
});

describe('createActionsFlow: stored first-level nulls (users created with one, rule 23)', () => {
  // Shrunk from the law "event.user agrees with the committed user".
  test('commits what event.user shows when another key is removed', () => {
    const flow = createActionsFlow(janeWith({ user_metadata: { kept: null, theme: 'dark' } }));
    flow.api.user.setUserMetadata('theme', null);
    expect(flow.event.user.user_metadata).toStrictEqual({ kept: null });
    expect(successValue(flow.commit(at(LATER))).user_metadata).toStrictEqual({ kept: null });
  });
});

describe('createActionsFlow: undefined values', () => {
  test('fails toPatch with empty_body for an undefined user_metadata value', () => {
    const flow = createActionsFlow(janeWith({ user_metadata: { theme: 'dark' } }));
    flow.api.user.setUserMetadata('theme', undefined);
    expect(codesOf(issuesOf(flow.toPatch()))).toStrictEqual(['empty_body']);
  });

  test('fails the final update with empty_body for an undefined app_metadata value', () => {
    const flow = createActionsFlow(JANE);
    flow.api.user.setAppMetadata('plan', 'pro');
    flow.api.user.setAppMetadata('seats', undefined);
    expect(codesOf(issuesOf(flow.commit(at(LATER))))).toStrictEqual(['empty_body']);
  });

  test('fails the whole flow, the other calls included', async () => {
    const good: PostLoginAction = (_event, api) => api.user.setUserMetadata('theme', 'dark');
    const bad: PostLoginAction = (_event, api) => api.user.setUserMetadata('lang', undefined);
    const result = await runPostLoginActions(JANE, [good, bad], at(LATER));
    expect(codesOf(issuesOf(result))).toStrictEqual(['empty_body']);
  });

  test('succeeds when a later call for the same key replaces the undefined (the last call wins)', () => {
    const flow = createActionsFlow(JANE);
    flow.api.user.setUserMetadata('theme', undefined);
    flow.api.user.setUserMetadata('theme', 'dark');
    expect(successValue(flow.toPatch())).toStrictEqual({ user_metadata: { theme: 'dark' } });
  });
});

describe('createActionsFlow: 32 kB per flow', () => {
  test('is 32 kB', () => {
    expect(MAX_ACTIONS_METADATA_BYTES).toBe(32 * 1024);
  });

  test('accepts a user_metadata update of exactly the limit', () => {
    const flow = createActionsFlow(JANE);
    flow.api.user.setUserMetadata('k', valueFilling(MAX_ACTIONS_METADATA_BYTES));
    expect(flow.commit(at(LATER)).success).toBe(true);
  });

  test('rejects a user_metadata update one byte over the limit with metadata_too_large', () => {
    const flow = createActionsFlow(JANE);
    flow.api.user.setUserMetadata('k', valueFilling(MAX_ACTIONS_METADATA_BYTES + 1));
    const issues = issuesOf(flow.commit(at(LATER)));
    expect(issues.map(({ code, path }) => ({ code, path }))).toStrictEqual([
      { code: 'metadata_too_large', path: ['user_metadata'] },
    ]);
  });

  test('rejects a large app_metadata update too', () => {
    const flow = createActionsFlow(JANE);
    flow.api.user.setAppMetadata('k', 'x'.repeat(40_000));
    const issues = issuesOf(flow.toPatch());
    expect(issues.map(({ code, path }) => ({ code, path }))).toStrictEqual([
      { code: 'metadata_too_large', path: ['app_metadata'] },
    ]);
  });

  test('counts UTF-8 bytes, not characters', () => {
    const flow = createActionsFlow(JANE);
    flow.api.user.setUserMetadata('k', 'é'.repeat(20_000));
    expect(codesOf(issuesOf(flow.toPatch()))).toStrictEqual(['metadata_too_large']);
  });

  test('adds up every call of the flow, across Actions', async () => {
    const first: PostLoginAction = (_event, api) => api.user.setUserMetadata('a', 'x'.repeat(20_000));
    const second: PostLoginAction = (_event, api) => api.user.setUserMetadata('b', 'x'.repeat(20_000));
    const result = await runPostLoginActions(JANE, [first, second], at(LATER));
    expect(codesOf(issuesOf(result))).toStrictEqual(['metadata_too_large']);
  });

  test('applies the limit to each metadata on its own', () => {
    const flow = createActionsFlow(JANE);
    flow.api.user.setUserMetadata('a', 'x'.repeat(30_000));
    flow.api.user.setAppMetadata('b', 'x'.repeat(30_000));
    expect(flow.commit(at(LATER)).success).toBe(true);
  });

  test('counts only the last value set for a key', () => {
    const flow = createActionsFlow(JANE);
    flow.api.user.setUserMetadata('a', 'x'.repeat(40_000));
    flow.api.user.setUserMetadata('a', 'small');
    expect(successValue(flow.toPatch())).toStrictEqual({ user_metadata: { a: 'small' } });
  });

  test('does not count stored metadata the flow does not write', () => {
    const flow = createActionsFlow(janeWith({ user_metadata: { big: 'x'.repeat(40_000) } }));
    flow.api.user.setUserMetadata('theme', 'dark');
    expect(successValue(flow.commit(at(LATER))).user_metadata).toStrictEqual({
      big: 'x'.repeat(40_000),
      theme: 'dark',
    });
  });
});

describe('runPostLoginActions: async Actions', () => {
  test('waits for each Action before running the next', async () => {
    const log: string[] = [];
    const slow: PostLoginAction = async (_event, api) => {
      log.push('slow starts');
      await new Promise((resolve) => setTimeout(resolve, 0));
      api.user.setUserMetadata('theme', 'dark');
      log.push('slow ends');
    };
    const next: PostLoginAction = async (event, api) => {
      log.push('next starts');
      await Promise.resolve();
      const theme = event.user.user_metadata.theme;
      api.user.setUserMetadata('seen', theme ?? 'nothing');
    };
    const result = successValue(await runPostLoginActions(JANE, [slow, next], at(LATER)));
    expect(log).toStrictEqual(['slow starts', 'slow ends', 'next starts']);
    expect(result.user_metadata).toStrictEqual({ theme: 'dark', seen: 'dark' });
  });

  test('mixes synchronous and asynchronous Actions in one batched update', async () => {
    const sync: PostLoginAction = (_event, api) => api.user.setAppMetadata('plan', 'pro');
    const later: PostLoginAction = async (_event, api) => {
      await new Promise((resolve) => setTimeout(resolve, 0));
      api.user.setAppMetadata('seats', 3);
    };
    const result = successValue(await runPostLoginActions(JANE, [sync, later], at(LATER)));
    expect(result).toStrictEqual(
      successValue(applyPatch(JANE, { app_metadata: { plan: 'pro', seats: 3 } }, at(LATER))),
    );
  });

  test('returns the user unchanged for an empty list of Actions', async () => {
    expect(successValue(await runPostLoginActions(JANE, [], at(LATER)))).toStrictEqual(JANE);
  });
});

describe('createActionsFlow: inputs', () => {
  test('never mutates the deep-frozen user or the values passed', async () => {
    const user = janeWith({ user_metadata: { theme: 'dark', prefs: { a: 1 } }, app_metadata: { plan: 'free' } });
    const prefs = deepFreeze({ font: 'serif', sizes: [1, 2] });
    const snapshot = JSON.stringify([user, prefs]);
    const action: PostLoginAction = (_event, api) => {
      api.user.setUserMetadata('theme', null);
      api.user.setUserMetadata('prefs', prefs);
      api.user.setAppMetadata('plan', 'pro');
    };
    successValue(await runPostLoginActions(user, [action], at(LATER)));
    expect(JSON.stringify([user, prefs])).toBe(snapshot);
  });

  test('leaves the user passed in as it was, with no metadata keys added', () => {
    const flow = createActionsFlow(JANE);
    flow.api.user.setUserMetadata('theme', 'dark');
    expect(JANE).not.toHaveProperty('user_metadata');
    expect(JANE).not.toHaveProperty('app_metadata');
  });
});

/** One `api.user.set*Metadata` call: which metadata, the name, the value (`null` removes). */
interface MetadataCall {
  readonly key: 'user_metadata' | 'app_metadata';
  readonly name: string;
  readonly value: JsonValue | null;
}

const value: fc.Arbitrary<JsonValue | null> = fc.option(jsonValue, { nil: null, freq: 4 });

const metadataCall: fc.Arbitrary<MetadataCall> = fc.oneof(
  fc.record({ key: fc.constant('user_metadata'), name: metadataKey, value }),
  fc.record({ key: fc.constant('app_metadata'), name: appMetadataKey, value }),
);

/** Calls split into Actions: each inner list is one Action. */
const actionCalls: fc.Arbitrary<MetadataCall[][]> = fc.array(fc.array(metadataCall, { maxLength: 4 }), {
  maxLength: 4,
});

function toAction(calls: readonly MetadataCall[]): PostLoginAction {
  return (_event, api) => {
    for (const call of calls) {
      if (call.key === 'user_metadata') api.user.setUserMetadata(call.name, call.value);
      else api.user.setAppMetadata(call.name, call.value);
    }
  };
}

/** The reference batch: for each metadata, the last value set for each name. */
function referenceBody(calls: readonly MetadataCall[]): JsonObject {
  const body: JsonObject = {};
  for (const key of ['user_metadata', 'app_metadata'] as const) {
    const named = calls.filter((call) => call.key === key);
    if (named.length === 0) continue;
    const changes: JsonObject = {};
    for (const call of named) defineOwn(changes, call.name, call.value);
    body[key] = changes;
  }
  return body;
}

/** The reference view of one metadata: stored keys, then each call in turn (`null` removes). */
function referenceView(stored: object | undefined, calls: readonly MetadataCall[], key: string): object {
  const view: object = { ...stored };
  for (const call of calls) {
    if (call.key !== key) continue;
    if (call.value === null) Reflect.deleteProperty(view, call.name);
    else defineOwn(view, call.name, call.value);
  }
  return view;
}

describe('Actions laws', () => {
  prop('the batched body is the last value set for each key', [storedUser, actionCalls], (user, actions) => {
    const flow = createActionsFlow(user);
    for (const calls of actions) toAction(calls)(flow.event, flow.api);
    const expected = referenceBody(actions.flat());
    const body = successValue(flow.toPatch());
    expect(comparable(body)).toStrictEqual(comparable(Object.keys(expected).length === 0 ? null : expected));
    return true;
  });

  prop('commit gives the same user as applyPatch with the batched body', [storedUser, actionCalls], (user, actions) => {
    const flow = createActionsFlow(user);
    for (const calls of actions) toAction(calls)(flow.event, flow.api);
    const body = referenceBody(actions.flat());
    const expected = Object.keys(body).length === 0 ? user : successValue(applyPatch(user, body, { now: patchedNow }));
    expect(comparable(successValue(flow.commit({ now: patchedNow })))).toStrictEqual(comparable(expected));
    return true;
  });

  prop('event.user shows every call at once, metadata never undefined', [storedUser, actionCalls], (user, actions) => {
    const flow = createActionsFlow(user);
    const calls: MetadataCall[] = [];
    for (const call of actions.flat()) {
      toAction([call])(flow.event, flow.api);
      calls.push(call);
      for (const key of ['user_metadata', 'app_metadata'] as const) {
        expect(comparable(flow.event.user[key])).toStrictEqual(comparable(referenceView(user[key], calls, key)));
      }
    }
    return true;
  });

  prop('event.user agrees with the committed user', [storedUser, actionCalls], (user, actions) => {
    const flow = createActionsFlow(user);
    for (const calls of actions) toAction(calls)(flow.event, flow.api);
    const committed = successValue(flow.commit({ now: patchedNow }));
    expect(comparable(flow.event.user.user_metadata)).toStrictEqual(comparable(committed.user_metadata ?? {}));
    expect(comparable(flow.event.user.app_metadata)).toStrictEqual(comparable(committed.app_metadata ?? {}));
    return true;
  });
});

describe('toPatch and commit: one validation, one answer', () => {
  const deep = (): unknown => {
    let value: unknown = 'bottom';
    for (let level = 0; level < 100_000; level++) value = { a: value };
    return value;
  };
  const cycle = (): unknown => {
    const value: Record<string, unknown> = {};
    defineOwn(value, 'self', value);
    return value;
  };

  test.each<[string, 'user' | 'app', string, () => unknown, string]>([
    ['a BigInt', 'user', 'n', () => 1n, 'not_json'],
    ['a cycle', 'user', 'loop', cycle, 'circular_reference'],
    ['100,000 levels of nesting', 'app', 'deep', deep, 'too_deep'],
    ['a function', 'user', 'f', () => () => 1, 'not_json'],
    ['NaN', 'app', 'x', () => Number.NaN, 'not_json'],
    ['a dotted nested key', 'user', 'prefs', () => ({ 'a.b': 1 }), 'forbidden_character'],
    ['a dotted first-level key', 'user', 'a.b', () => 1, 'forbidden_character'],
    ['a reserved app_metadata name', 'app', 'email', () => 'x@y.z', 'reserved_key'],
  ])('%s: toPatch refuses it exactly as commit does', (_name, which, name, make, code) => {
    const flow = createActionsFlow(JANE);
    const value = make();
    // Untyped Action code can hand the API anything: call it the way such code would.
    const setter = which === 'user' ? flow.api.user.setUserMetadata : flow.api.user.setAppMetadata;
    Reflect.apply(setter, undefined, [name, value]);
    const patch = flow.toPatch();
    const committed = flow.commit(at(LATER));
    expect(codesOf(issuesOf(patch))).toStrictEqual([code]);
    expect(patch).toStrictEqual(committed);
  });

  test('a name that is not a string: refused by both, never shown on event.user', () => {
    const flow = createActionsFlow(JANE);
    Reflect.apply(flow.api.user.setUserMetadata, undefined, [Symbol('name'), 1]);
    expect(flow.event.user.user_metadata).toStrictEqual({});
    expect(codesOf(issuesOf(flow.toPatch()))).toStrictEqual(['invalid_type']);
    expect(flow.toPatch()).toStrictEqual(flow.commit(at(LATER)));
  });

  prop(
    'for any value set, toPatch succeeds exactly when commit does, with the same issues',
    [metadataKey, hostileValue, fc.boolean()],
    (name, { value }, app) => {
      const flow = createActionsFlow(JANE);
      const setter = app ? flow.api.user.setAppMetadata : flow.api.user.setUserMetadata;
      Reflect.apply(setter, undefined, [name, value]);
      const patch = flow.toPatch();
      const committed = flow.commit(at(LATER));
      expect(patch.success).toBe(committed.success);
      if (!patch.success && !committed.success)
        expect(comparable(patch.issues)).toStrictEqual(comparable(committed.issues));
      return true;
    },
    { numRuns: HOSTILE_RUNS },
  );
});

describe('createActionsFlow and runPostLoginActions on unreadable users', () => {
  test.each<[string, unknown]>([
    ['null', null],
    ['a string', 'auth0|1'],
    ['a revoked Proxy', revokedProxy({})],
    [
      'a Proxy whose every trap throws',
      new Proxy(
        {},
        trapsThrowing(() => new Error('trap')),
      ),
    ],
    [
      'a user with a throwing getter',
      Object.defineProperty({ ...JANE }, 'email', { get: () => throwing(1), enumerable: true }),
    ],
  ])('%s: a flow whose commit is an issue', (_name, user) => {
    expect(outcome(() => Reflect.apply(createActionsFlow, undefined, [user])).threw).toBe(false);
    const flow: ActionsFlow = Reflect.apply(createActionsFlow, undefined, [user]);
    const { event, api, commit, toPatch } = flow;
    expect(event.user.user_metadata).toStrictEqual({});
    api.user.setUserMetadata('a', 1);
    expect(event.user.user_metadata).toStrictEqual({ a: 1 });
    expect(toPatch()).toMatchObject({ success: true, value: { user_metadata: { a: 1 } } });
    expect(outcome(() => commit(at()))).toMatchObject({ threw: false, value: { success: false } });
  });

  test.each<[string, unknown]>([
    ['null', null],
    ['a revoked Proxy', revokedProxy([])],
    ['an array holding a string', ['not an action']],
  ])('runPostLoginActions with actions that are %s: an issue', async (_name, actions) => {
    const result = await Reflect.apply(runPostLoginActions, undefined, [JANE, actions, at()]);
    expect(result).toMatchObject({ success: false, issues: [{ code: expect.any(String) }] });
  });

  test("an Action's own error rejects unchanged", async () => {
    const broken = new Error('the Action broke');
    await expect(runPostLoginActions(JANE, [() => Promise.reject(broken)])).rejects.toBe(broken);
    await expect(runPostLoginActions(JANE, [() => throwing(broken)])).rejects.toBe(broken);
  });
});
