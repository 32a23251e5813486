// Graph inside the benchmark's own process: a @microsoft/microsoft-graph-client Client whose only
// middleware answers every request as Graph answers an operation it accepted, `running`, with
// the clientContext it was given. Pending operations then cost no socket and no other process's
// CPU, so what is measured around them is the bot's own work.
import { Client } from '@microsoft/microsoft-graph-client';

/**
 * The operation id the fake gives the operation of `clientContext`: the same GUID with its
 * second group replaced, so that the benchmark can name the operation without remembering it.
 * clientContexts made by `clientContextFor` keep ids unique.
 */
export const operationIdFor = (clientContext) => `${clientContext.slice(0, 9)}0a0a${clientContext.slice(13)}`;

const hex = (n, width) => n.toString(16).padStart(width, '0');

/** A GUID-shaped clientContext, unique per (n, call index i) for n < 2^32. */
export const clientContextFor = (n, i) => `${hex(n >>> 0, 8)}-c1c1-4000-8000-${hex(i, 12)}`;

/** Returns `{ client, answered() }`: the Client, and how many requests it has answered. */
export function fakeGraphClient() {
  let answered = 0;
  const middleware = {
    async execute(context) {
      answered += 1;
      const raw = context.options?.body;
      const clientContext = typeof raw === 'string' && raw.startsWith('{') ? JSON.parse(raw).clientContext : undefined;
      const body = typeof clientContext === 'string' ? JSON.stringify({ id: operationIdFor(clientContext), status: 'Running', clientContext, resultInfo: null }) : null;
      context.response = new Response(body, { status: body ? 200 : 202, headers: body ? { 'content-type': 'application/json' } : {} });
    },
  };
  return { client: Client.initWithMiddleware({ middleware }), answered: () => answered };
}
