/**
 * Model-based test of search: random creates, metadata PATCHes, deletes and searches go through the
 * emulator's HTTP handler; every search must answer what a plain model of the users says. The
 * model's oracle is a direct reading of each clause (an equality, an `includes`, a presence check),
 * far simpler than the parser and matcher it checks.
 *
 * Reproduce a failure with the seed it prints: FC_SEED=<seed> npx vitest run test/emulator/search.model.test.ts
 */
import fc from 'fast-check';
import { expect, test } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import { seed } from '../prop.js';
import { CONNECTION, field, send, testEmulator, userIdOf, userPath } from './helpers.js';

const RUNS = Number(process.env.FC_RUNS ?? 40);

interface ModelUser {
  readonly email: string;
  readonly plan: string | undefined;
  readonly roles: readonly string[];
  readonly hobby: string | undefined;
}

/** The users in creation order, by id: a Map keeps the order of first insertion, as the store does. */
type Model = Map<string, ModelUser>;

interface Real {
  readonly emulator: Emulator;
  readonly token: string;
}

/** A query and the oracle that says whether a user matches it. */
interface Query {
  readonly q: string;
  readonly matches: (user: ModelUser) => boolean;
}

const PLANS = ['gold', 'Gold', 'free'] as const;
const ROLES = ['admin', 'billing'] as const;
const EMAILS = ['jane@example.com', 'bob@example.com', 'ann@example.org', 'zoe@example.net'] as const;

const clause: fc.Arbitrary<Query> = fc.oneof(
  fc.constantFrom(...PLANS).map((plan) => ({
    q: `app_metadata.plan:"${plan}"`,
    matches: (user: ModelUser) => user.plan === plan,
  })),
  fc.constantFrom(...ROLES).map((role) => ({
    q: `app_metadata.roles:${role}`,
    matches: (user: ModelUser) => user.roles.includes(role),
  })),
  fc.constantFrom(...EMAILS).map((email) => ({
    q: `email:${email.toUpperCase()}`,
    matches: (user: ModelUser) => user.email === email,
  })),
  fc.constant({ q: '_exists_:user_metadata.hobby', matches: (user: ModelUser) => user.hobby !== undefined }),
);

const query: fc.Arbitrary<Query> = fc.letrec<{ query: Query }>((tie) => ({
  query: fc.oneof(
    { depthSize: 'small' },
    clause,
    tie('query').map((inner) => ({ q: `NOT (${inner.q})`, matches: (user: ModelUser) => !inner.matches(user) })),
    fc.tuple(tie('query'), tie('query')).map(([left, right]) => ({
      q: `(${left.q}) AND (${right.q})`,
      matches: (user: ModelUser) => left.matches(user) && right.matches(user),
    })),
    fc.tuple(tie('query'), tie('query')).map(([left, right]) => ({
      q: `(${left.q}) (${right.q})`,
      matches: (user: ModelUser) => left.matches(user) || right.matches(user),
    })),
  ),
})).query;

type Command = fc.AsyncCommand<Model, Real>;

class CreateCommand implements Command {
  constructor(readonly user: ModelUser) {}
  check(): boolean {
    return true;
  }
  async run(model: Model, real: Real): Promise<void> {
    const { email, plan, roles, hobby } = this.user;
    const body = {
      connection: CONNECTION,
      email,
      password: 'Pw1!xxxx',
      app_metadata: { ...(plan === undefined ? {} : { plan }), roles },
      ...(hobby === undefined ? {} : { user_metadata: { hobby } }),
    };
    const reply = await send(real.emulator, 'POST', '/api/v2/users', { token: real.token, json: body });
    const duplicate = [...model.values()].some((other) => other.email === email);
    expect(reply.status).toBe(duplicate ? 409 : 201);
    if (!duplicate) model.set(userIdOf(reply.body), this.user);
  }
  toString(): string {
    return `create(${JSON.stringify(this.user)})`;
  }
}

class PatchCommand implements Command {
  constructor(
    readonly pick: number,
    readonly plan: string | null,
    readonly hobby: string | null,
  ) {}
  check(model: Readonly<Model>): boolean {
    return model.size > 0;
  }
  async run(model: Model, real: Real): Promise<void> {
    const ids = [...model.keys()];
    const id = ids[this.pick % ids.length] ?? '';
    const before = model.get(id);
    if (before === undefined) throw new Error('no such user in the model');
    const body = { app_metadata: { plan: this.plan }, user_metadata: { hobby: this.hobby } };
    const reply = await send(real.emulator, 'PATCH', userPath(id), { token: real.token, json: body });
    expect(reply.status).toBe(200);
    model.set(id, { ...before, plan: this.plan ?? undefined, hobby: this.hobby ?? undefined });
  }
  toString(): string {
    return `patch(${this.pick}, plan ${this.plan}, hobby ${this.hobby})`;
  }
}

class DeleteCommand implements Command {
  constructor(readonly pick: number) {}
  check(model: Readonly<Model>): boolean {
    return model.size > 0;
  }
  async run(model: Model, real: Real): Promise<void> {
    const id = [...model.keys()][this.pick % model.size] ?? '';
    const reply = await send(real.emulator, 'DELETE', userPath(id), { token: real.token });
    expect(reply.status).toBe(204);
    model.delete(id);
  }
  toString(): string {
    return `delete(${this.pick})`;
  }
}

class SearchCommand implements Command {
  constructor(
    readonly query: Query,
    readonly page: number,
    readonly perPage: number,
  ) {}
  check(): boolean {
    return true;
  }
  async run(model: Model, real: Real): Promise<void> {
    const parameters = new URLSearchParams({
      q: this.query.q,
      page: String(this.page),
      per_page: String(this.perPage),
      include_totals: 'true',
      fields: 'email',
    });
    const reply = await send(real.emulator, 'GET', `/api/v2/users?${parameters}`, { token: real.token });
    const matching = [...model.values()].filter(this.query.matches).map((user) => ({ email: user.email }));
    const start = this.page * this.perPage;
    const users = matching.slice(start, start + this.perPage);
    expect(reply.status).toBe(200);
    expect(reply.body).toStrictEqual({
      start,
      limit: this.perPage,
      length: users.length,
      users,
      total: matching.length,
    });
    expect(field(reply.body, 'total')).toBe(matching.length);
  }
  toString(): string {
    return `search(${this.query.q}, page ${this.page}, per_page ${this.perPage})`;
  }
}

const modelUser: fc.Arbitrary<ModelUser> = fc.record({
  email: fc.constantFrom(...EMAILS),
  plan: fc.option(fc.constantFrom(...PLANS), { nil: undefined }),
  roles: fc.subarray([...ROLES]),
  hobby: fc.option(fc.constantFrom('surfing', 'sailing'), { nil: undefined }),
});

const commands = fc.commands(
  [
    modelUser.map((user): Command => new CreateCommand(user)),
    fc
      .tuple(fc.nat(), fc.option(fc.constantFrom(...PLANS)), fc.option(fc.constantFrom('surfing', 'reading')))
      .map(([pick, plan, hobby]): Command => new PatchCommand(pick, plan, hobby)),
    fc.nat().map((pick): Command => new DeleteCommand(pick)),
    fc
      .tuple(query, fc.nat({ max: 2 }), fc.constantFrom(1, 2, 50))
      .map(([where, page, perPage]): Command => new SearchCommand(where, page, perPage)),
  ],
  { maxCommands: 20 },
);

test('random creates, patches, deletes and searches through HTTP agree with a plain model', async () => {
  try {
    await fc.assert(
      fc.asyncProperty(commands, async (sequence) => {
        const { emulator } = testEmulator();
        const token = await emulator.issueToken();
        await fc.asyncModelRun(() => ({ model: new Map(), real: { emulator, token } }), sequence);
      }),
      { seed, numRuns: RUNS },
    );
  } catch (error) {
    throw new Error(`Search model run failed (seed ${seed}); replay with FC_SEED=${seed}`, { cause: error });
  }
}, 120_000);
