/**
 * The declared users and metadata shapes the type tests (`*.test-d.ts`) share. Declarations only:
 * the type tests are checked by tsc, never executed.
 */
import type { User } from '../src/index.js';

/** A user_metadata shape with a union and a nested object. */
export interface Preferences {
  theme?: 'light' | 'dark';
  addresses?: { home?: string; work?: string };
}

/** An app_metadata shape. */
export interface Billing {
  plan?: 'free' | 'full';
}

/** A user with typed metadata. */
export declare const user: User<Preferences, Billing>;

/** A user with open metadata. */
export declare const anyUser: User;

/** A GET /api/v2/users/{id} payload as a caller types it: its own attributes, open metadata. */
export interface FromGet {
  readonly user_id: string;
  readonly email: string;
  readonly logins_count: number;
  readonly last_login: string;
  readonly user_metadata?: { readonly [key: string]: unknown };
}

/** A value of {@link FromGet}. */
export declare const fromGet: FromGet;

/** A PATCH body of unknown type, as JSON.parse gives it. */
export declare const body: unknown;
