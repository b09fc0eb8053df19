/**
 * The requests every HTTP bench sends to a server: a PATCH of one metadata key (a new value each
 * time), or a GET, of the seeded user with the server's token, as autocannon options.
 */
export function requestsFor(server, method) {
  const path = `/api/v2/users/${encodeURIComponent(server.info.userId)}`;
  const headers = { authorization: `Bearer ${server.info.token}`, 'content-type': 'application/json' };
  let counter = 0;
  const request =
    method === 'PATCH'
      ? {
          method,
          path,
          headers,
          setupRequest: (prepared) => ({
            ...prepared,
            body: JSON.stringify({ user_metadata: { counter: counter++ } }),
          }),
        }
      : { method, path, headers };
  return { url: server.info.url, requests: [request] };
}
