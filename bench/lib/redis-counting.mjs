// What the Redis store asks of Redis, for figure (6c): every command its client sends, named by
// what it does from the keys it touches (the key layout of packages/redis-store/src/keys.ts), and
// what Redis itself reports (INFO commandstats, INFO memory, MEMORY USAGE).

/** What a key is, from its suffix or its shard's hash tag. */
function keyKind(key) {
  const k = String(key);
  if (k.endsWith(':call')) return 'call';
  if (k.endsWith(':outbox')) return 'outbox';
  if (k.endsWith(':ctx')) return 'clientContext';
  if (k.includes('{outboxes:')) return 'outbox index';
  if (k.includes('{deadlines:')) return 'deadlines';
  return 'other';
}

/** A command's label: a script by the keys it runs on (reading a call takes no arguments, writing one several), else the command and its key. */
export function labelOf(name, args) {
  if (name === 'evalsha' || name === 'eval') {
    const count = Number(args[1]);
    const kind = keyKind(args[2]);
    if (kind === 'call') return args.length - 2 - count === 0 ? 'read call (script)' : 'write call (script)';
    if (kind === 'outbox') return 'mark emitted (script)';
    return `${kind} (script)`;
  }
  return args.length > 0 ? `${name} ${keyKind(args[0])}` : name;
}

/** Counts every command `client` (an ioredis Redis) sends from now on, by label; returns the live counts. */
export function countCommands(client) {
  const counts = {};
  const send = client.sendCommand.bind(client);
  client.sendCommand = (command, stream) => {
    const label = labelOf(String(command.name).toLowerCase(), command.args ?? []);
    counts[label] = (counts[label] ?? 0) + 1;
    return send(command, stream);
  };
  return counts;
}

/** `INFO <section>` as { field: value } (numbers where they are numbers). */
export async function info(probe, section) {
  const out = {};
  for (const line of String(await probe.info(section)).split(/\r?\n/)) {
    const at = line.indexOf(':');
    if (at <= 0 || line.startsWith('#')) continue;
    const value = line.slice(at + 1);
    out[line.slice(0, at)] = Number.isFinite(Number(value)) ? Number(value) : value;
  }
  return out;
}

/** Calls per command from INFO commandstats: { evalsha: n, hget: n, ... } (inside scripts included). */
export async function commandStats(probe) {
  const out = {};
  for (const [field, value] of Object.entries(await info(probe, 'commandstats'))) {
    const calls = /(?:^|,)calls=(\d+)/.exec(String(value));
    if (calls) out[field.replace(/^cmdstat_/, '')] = Number(calls[1]);
  }
  return out;
}

/** after − before, per key, without zeros and without the probe's own commands. */
export function difference(after, before, ignore = []) {
  const out = {};
  for (const [key, n] of Object.entries(after)) {
    const d = n - (before[key] ?? 0);
    if (d !== 0 && !ignore.includes(key)) out[key] = d;
  }
  return out;
}

/** The sum of MEMORY USAGE over `keys` (0 for a key that does not exist), and how many exist. */
export async function memoryUsage(probe, keys) {
  let bytes = 0;
  let present = 0;
  for (const key of keys) {
    const used = await probe.memory('USAGE', key);
    if (used !== null) {
      bytes += Number(used);
      present += 1;
    }
  }
  return { bytes, present };
}
