// Figure 1: bare Express 5 answering the same JSON POST with 202, after express.json().
import { createServer } from 'node:http';
import express from 'express';
import { serve } from './serve.mjs';

let answered = 0;
const app = express();
app.post('/api/calls', express.json({ limit: '1mb' }), (req, res) => {
  if (req.body === undefined || typeof req.body !== 'object') return res.status(400).end();
  answered += 1;
  res.status(202).end();
});
await serve(createServer(app), { stats: () => ({ answered }) });
