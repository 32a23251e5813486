// A server for the failure tests: answers every request 400, as a bot refusing the bodies would.
import { createServer } from 'node:http';
import { serve } from '../../servers/serve.mjs';

await serve(createServer((req, res) => req.resume().once('end', () => res.writeHead(400).end())));
