/**
 * The part of auth0@3's ManagementClient (installed as `auth0-v3`; it ships no types) that the
 * tests and docs/recipes.md use. Each method returns a promise when no callback is given.
 */
declare module 'auth0-v3' {
  type JsonObject = { readonly [key: string]: unknown };

  export interface ManagementClientOptions {
    readonly domain: string;
    readonly token?: string;
    readonly clientId?: string;
    readonly clientSecret?: string;
    readonly retry?: { readonly enabled: boolean };
  }

  export class ManagementClient {
    constructor(options: ManagementClientOptions);
    getUser(params: { readonly id: string }): Promise<JsonObject>;
    getUsers(params?: { readonly fields?: string }): Promise<readonly JsonObject[]>;
    updateUserMetadata(params: { readonly id: string }, metadata: JsonObject): Promise<JsonObject>;
    updateAppMetadata(params: { readonly id: string }, metadata: JsonObject): Promise<JsonObject>;
  }
}
