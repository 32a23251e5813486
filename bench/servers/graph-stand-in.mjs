// Figure 5's stand-in for Graph's invite endpoint: POST .../participants/invite answers
// { id, status: 'Running' } with the operation id derived from the clientContext
// (operationIdOf), so the benchmark need not remember it.
import { createServer } from 'node:http';
import { serve } from './serve.mjs';

let invites = 0;
const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    let clientContext = null;
    try {
      clientContext = JSON.parse(Buffer.concat(chunks).toString('utf8')).clientContext ?? null;
    } catch {
      // answered 400 below
    }
    if (req.method !== 'POST' || !/\/participants\/invite$/.test(req.url ?? '') || !clientContext) {
      res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":{"code":"badRequest","message":"bench stand-in"}}');
      return;
    }
    invites += 1;
    const id = `eec3812a${clientContext.slice(8)}`; // = operationIdOf(i) for clientContextOf(i)
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ '@odata.type': '#microsoft.graph.inviteParticipantsOperation', id, status: 'Running', clientContext, resultInfo: null }));
  });
});
await serve(server, { stats: () => ({ invites }) });
