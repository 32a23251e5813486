/** What a notification's `resourceUrl` or `resource` points at. */
export type ResourcePath =
  | { kind: 'call'; callId: string }
  | { kind: 'participants'; callId: string; participantId?: string }
  | { kind: 'operation'; callId: string; operationId?: string }
  | { kind: 'other'; callId?: string };

/**
 * Parses `/communications/calls/{id}/...` and the deprecated `/app/calls/{id}/...`, absolute
 * URLs and version prefixes included. Seed 001 shows an operation at `.../operations/participants`:
 * that last segment is not an operation id.
 */
export function parseResourcePath(path: string): ResourcePath | undefined {
  const segments = pathSegments(path);
  const calls = segments.findIndex((s, i) => s.toLowerCase() === 'calls' && isCallsRoot(segments, i));
  if (calls === -1) return undefined;
  const callId = segments[calls + 1];
  if (!callId) return undefined;
  const sub = segments[calls + 2]?.toLowerCase();
  const leaf = segments[calls + 3];
  if (sub === undefined) return { kind: 'call', callId };
  if (sub === 'participants') return leaf ? { kind: 'participants', callId, participantId: leaf } : { kind: 'participants', callId };
  if (sub === 'operations') {
    return leaf && leaf.toLowerCase() !== 'participants' ? { kind: 'operation', callId, operationId: leaf } : { kind: 'operation', callId };
  }
  return { kind: 'other', callId };
}

function pathSegments(path: string): string[] {
  let rest = path.trim();
  // Graph sends paths; an absolute URL is tolerated.
  if (rest[0] !== '/') {
    const scheme = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/i.exec(rest);
    if (scheme) rest = rest.slice(scheme[0].length);
  }
  const end = rest.search(/[?#]/);
  if (end !== -1) rest = rest.slice(0, end);
  return rest.split('/').filter((s) => s.length > 0).map(safeDecode);
}

// `calls` right after `communications` or `app`, possibly behind a version prefix.
function isCallsRoot(segments: string[], index: number): boolean {
  const parent = segments[index - 1]?.toLowerCase();
  return parent === 'communications' || parent === 'app';
}

function safeDecode(segment: string): string {
  if (!segment.includes('%')) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
