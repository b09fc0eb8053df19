/**
 * Model-based test: random sequences of create / patch / get / delete / list go through the
 * emulator's HTTP handler, and every answer must be the one the pure core gives for the same
 * input. The model is the core itself (createUser, applyPatch, selectFields, toAuth0Error) over a
 * Map; the only logic of its own is what the store adds (duplicates, 404, deletion).
 *
 * Reproduce a failure with the seed it prints: FC_SEED=<seed> npx vitest run test/emulator/model.test.ts
 */
import fc from 'fast-check';
import { expect, test } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import {
  applyPatch,
  createUser,
  type FieldQuery,
  type Result,
  selectFields,
  toAuth0Error,
  type User,
  validateCreateUser,
  validatePatch,
} from '../../src/index.js';
import { userExists, userNotFound } from '../../src/issueConstructors.js';
import { CONNECTION, type Reply, send, sequentialIds, type TestClock, testEmulator, userPath } from './helpers.js';

const SEED = Number(process.env.FC_SEED ?? 20_260_101);
const RUNS = Number(process.env.FC_RUNS ?? 60);

interface Model {
  readonly users: Map<string, User>;
  readonly ids: () => string;
}

interface Real {
  readonly emulator: Emulator;
  readonly clock: TestClock;
  readonly token: string;
}

interface Expected {
  readonly status: number;
  readonly body: unknown;
}

/** What travels over HTTP: the JSON text parsed back, as the emulator receives it. */
function wire(value: unknown): unknown {
  const text = JSON.stringify(value);
  return text === undefined ? undefined : JSON.parse(text);
}

function failure(result: Result<unknown>): Expected {
  if (result.success) throw new Error('expected a failure');
  const error = toAuth0Error(result.issues);
  return { status: error.status, body: error.body };
}

function answer(status: number, body: unknown): Expected {
  return { status, body: wire(body) };
}

function connectionOf(user: User): string | undefined {
  return user.identities[0]?.connection;
}

/** The store's one rule of its own: no two users with one id, or one email on one connection. */
function duplicates(model: Model, user: User): boolean {
  return [...model.users.values()].some(
    (other) =>
      other.user_id === user.user_id ||
      (user.email !== undefined && other.email === user.email && connectionOf(other) === connectionOf(user)),
  );
}

/** The user a command aims at: one of the model's, by position, or an id nobody has. */
function target(model: Model, pick: number | null): string {
  const ids = [...model.users.keys()];
  if (pick === null || ids.length === 0) return 'auth0|000000000000000000000000';
  return ids[pick % ids.length] ?? '';
}

const PROBE: User = { user_id: '', identities: [], created_at: '', updated_at: '' };

function project(user: User, query: FieldQuery): Result<unknown> {
  return selectFields(user, query);
}

/**
 * Compares as JSON text: stricter than deep equality (key order counts, as Auth0's does), and
 * immune to a key named `constructor`, which deep-equality helpers read as the object's class.
 */
async function check(real: Real, model: Model, reply: Reply, expected: Expected): Promise<void> {
  expect(JSON.stringify({ status: reply.status, body: reply.body })).toBe(JSON.stringify(expected));
  expect(JSON.stringify(real.emulator.snapshot())).toBe(JSON.stringify([...model.users.values()]));
}

type Command = fc.AsyncCommand<Model, Real>;

class CreateCommand implements Command {
  constructor(readonly body: unknown) {}
  check(): boolean {
    return true;
  }
  async run(model: Model, real: Real): Promise<void> {
    real.clock.advance(1000);
    const reply = await send(real.emulator, 'POST', '/api/v2/users', { token: real.token, json: this.body });
    const body = wire(this.body);
    let expected: Expected;
    const validated = validateCreateUser(body);
    if (!validated.success) expected = failure(validated);
    else {
      const created = createUser(validated.value, { now: real.clock.now, generateId: model.ids });
      if (!created.success) expected = failure(created);
      else if (duplicates(model, created.value)) expected = failure({ success: false, issues: [userExists()] });
      else {
        model.users.set(created.value.user_id, created.value);
        expected = answer(201, created.value);
      }
    }
    await check(real, model, reply, expected);
  }
  toString(): string {
    return `create(${JSON.stringify(this.body)})`;
  }
}

class PatchCommand implements Command {
  constructor(
    readonly pick: number | null,
    readonly patch: unknown,
  ) {}
  check(): boolean {
    return true;
  }
  async run(model: Model, real: Real): Promise<void> {
    real.clock.advance(1000);
    const id = target(model, this.pick);
    const reply = await send(real.emulator, 'PATCH', userPath(id), { token: real.token, json: this.patch });
    const patch = wire(this.patch);
    let expected: Expected;
    const validated = validatePatch(patch);
    const user = model.users.get(id);
    if (!validated.success) expected = failure(validated);
    else if (user === undefined) expected = failure({ success: false, issues: [userNotFound()] });
    else {
      const patched = applyPatch(user, patch, { now: real.clock.now });
      if (!patched.success) expected = failure(patched);
      else {
        model.users.set(id, patched.value);
        expected = answer(200, patched.value);
      }
    }
    await check(real, model, reply, expected);
  }
  toString(): string {
    return `patch(${this.pick}, ${JSON.stringify(this.patch)})`;
  }
}

class GetCommand implements Command {
  constructor(
    readonly pick: number | null,
    readonly query: Readonly<Record<string, string>>,
  ) {}
  check(): boolean {
    return true;
  }
  async run(model: Model, real: Real): Promise<void> {
    const id = target(model, this.pick);
    const search = new URLSearchParams(this.query).toString();
    const reply = await send(real.emulator, 'GET', `${userPath(id)}${search === '' ? '' : `?${search}`}`, {
      token: real.token,
    });
    const query: FieldQuery = { fields: this.query.fields, include_fields: this.query.include_fields };
    const user = model.users.get(id);
    const probed = project(PROBE, query);
    let expected: Expected;
    if (!probed.success) expected = failure(probed);
    else if (user === undefined) expected = failure({ success: false, issues: [userNotFound()] });
    else {
      const selected = project(user, query);
      expected = selected.success ? answer(200, selected.value) : failure(selected);
    }
    await check(real, model, reply, expected);
  }
  toString(): string {
    return `get(${this.pick}, ${JSON.stringify(this.query)})`;
  }
}

class DeleteCommand implements Command {
  constructor(readonly pick: number | null) {}
  check(): boolean {
    return true;
  }
  async run(model: Model, real: Real): Promise<void> {
    const id = target(model, this.pick);
    const reply = await send(real.emulator, 'DELETE', userPath(id), { token: real.token });
    model.users.delete(id);
    await check(real, model, reply, { status: 204, body: undefined });
  }
  toString(): string {
    return `delete(${this.pick})`;
  }
}

class ListCommand implements Command {
  constructor(readonly fields: string | undefined) {}
  check(): boolean {
    return true;
  }
  async run(model: Model, real: Real): Promise<void> {
    const query = this.fields === undefined ? '' : `&fields=${encodeURIComponent(this.fields)}`;
    const reply = await send(real.emulator, 'GET', `/api/v2/users?per_page=100${query}`, { token: real.token });
    const users = [...model.users.values()].map((user) => {
      const selected = project(user, { fields: this.fields });
      return selected.success ? selected.value : undefined;
    });
    await check(real, model, reply, answer(200, users));
  }
  toString(): string {
    return `list(${JSON.stringify(this.fields)})`;
  }
}

const key = fc.oneof(
  { weight: 20, arbitrary: fc.constantFrom('a', 'b', 'hobby', 'addresses', 'plan') },
  { weight: 3, arbitrary: fc.constantFrom('', '__proto__', 'constructor', 'toString') },
  // Rejected by the core: a dot or a `$` anywhere, `email` at the first level of app_metadata.
  { weight: 1, arbitrary: fc.constantFrom('a.b', '$x', 'email') },
);
const primitive = fc.oneof(
  fc.string({ maxLength: 5 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
);
/** JSON values whose object keys come from `key`, so that the rejected ones stay occasional. */
const value = fc.oneof(
  { weight: 4, arbitrary: primitive },
  { weight: 1, arbitrary: fc.array(primitive, { maxLength: 3 }) },
  {
    weight: 1,
    arbitrary: fc.dictionary(key, fc.oneof(primitive, fc.array(primitive, { maxLength: 2 })), { maxKeys: 2 }),
  },
);
const metadata = fc.dictionary(key, value, { maxKeys: 4 });
const metadataPatch = fc.oneof(
  { weight: 6, arbitrary: fc.dictionary(key, fc.oneof(value, fc.constant(null)), { maxKeys: 4 }) },
  { weight: 1, arbitrary: fc.constantFrom({}, null, 'dark', [1]) },
);
const email = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.constantFrom('jane@example.com', 'Jane@Example.com', 'bob@example.com', 'ann@example.com'),
  },
  { weight: 1, arbitrary: fc.constant('not an email') },
);
/** Mostly valid names; `''` is too short for Auth0. */
const givenName = fc.oneof(
  { weight: 6, arbitrary: fc.string({ minLength: 1, maxLength: 4 }) },
  { weight: 1, arbitrary: fc.constant('') },
);
const name = fc.oneof(givenName, fc.constant(null));

const createBody = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record(
      {
        connection: fc.constantFrom(CONNECTION, 'other-db'),
        email,
        password: fc.constant('Pw1!xxxx'),
        user_metadata: metadata,
        app_metadata: metadata,
        given_name: givenName,
        blocked: fc.boolean(),
      },
      { requiredKeys: ['connection', 'email', 'password'] },
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom(null, [], 'user', {}, { connection: CONNECTION, email: 'x@y.z', extra: 1 }) },
);

const patchBody = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({ user_metadata: metadataPatch, app_metadata: metadataPatch }, { requiredKeys: [] }),
  },
  {
    weight: 2,
    arbitrary: fc.record(
      {
        user_metadata: metadataPatch,
        app_metadata: metadataPatch,
        given_name: name,
        nickname: name,
        blocked: fc.boolean(),
        email,
        password: fc.constant('New-pw-1'),
      },
      { requiredKeys: [] },
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom(null, [], 'patch', { unknown: true }) },
);

const pick = fc.option(fc.nat({ max: 20 }), { freq: 6 });

const commands = fc.commands(
  [
    createBody.map((body): Command => new CreateCommand(body)),
    fc.tuple(pick, patchBody).map(([index, body]): Command => new PatchCommand(index, body)),
    fc
      .tuple(
        pick,
        fc.record(
          {
            fields: fc.constantFrom('user_metadata', 'app_metadata,email', 'user_metadata.a', ' ,user_id', ''),
            include_fields: fc.constantFrom('true', 'false', 'maybe'),
          },
          { requiredKeys: [] },
        ),
      )
      .map(([index, query]): Command => new GetCommand(index, query)),
    pick.map((index): Command => new DeleteCommand(index)),
    fc
      .option(fc.constantFrom('email', 'user_metadata', 'app_metadata.plan'), { nil: undefined })
      .map((fields): Command => new ListCommand(fields)),
  ],
  { maxCommands: 25 },
);

test('random create/patch/get/delete/list through HTTP agree with the core', async () => {
  try {
    await fc.assert(
      fc.asyncProperty(commands, async (sequence) => {
        const { emulator, clock } = testEmulator();
        const token = await emulator.issueToken();
        await fc.asyncModelRun(
          () => ({ model: { users: new Map(), ids: sequentialIds() }, real: { emulator, clock, token } }),
          sequence,
        );
      }),
      { seed: SEED, numRuns: RUNS },
    );
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? `\n${error.cause.message}` : '';
    const message = `${error instanceof Error ? error.message : String(error)}${cause}`;
    throw new Error(
      `Model test failed with FC_SEED=${SEED} (rerun: FC_SEED=${SEED} npx vitest run test/emulator/model.test.ts)\n${message}`,
    );
  }
}, 120_000);
