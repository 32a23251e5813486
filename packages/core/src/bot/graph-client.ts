import type { Client } from '@microsoft/microsoft-graph-client';

const describe = (value: unknown): string => {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value !== 'object') return typeof value;
  return `an object without an api() method${Object.keys(value).length === 0 ? ' ({})' : ''}`;
};

/**
 * Checks the `graphClient` option when the bot is made: left out, or a
 * `@microsoft/microsoft-graph-client` Client (anything with an `api` function, as the bot calls
 * only `client.api(path)...`). Anything else would be accepted now and fail on the first request
 * as "Graph could not be reached", far from the mistake; it throws a `TypeError` instead.
 */
export function checkGraphClient(client: unknown): asserts client is Client | undefined {
  if (client === undefined) return;
  if (typeof client === 'object' && client !== null && typeof (client as { api?: unknown }).api === 'function') return;
  throw new TypeError(`CallingBot: graphClient must be a @microsoft/microsoft-graph-client Client (Client.init(...) or Client.initWithMiddleware(...)), got ${describe(client)}`);
}
