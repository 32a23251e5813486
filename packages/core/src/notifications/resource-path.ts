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
  const match = CALL_PATH.exec(path);
  if (!match) return undefined;
  const callId = safeDecode(match[1]!);
  const sub = match[2]?.toLowerCase();
  const leaf = match[3] === undefined ? undefined : safeDecode(match[3]);
  if (sub === undefined) return { kind: 'call', callId };
  if (sub === 'participants') return leaf ? { kind: 'participants', callId, participantId: leaf } : { kind: 'participants', callId };
  if (sub === 'operations') {
    return leaf && leaf.toLowerCase() !== 'participants' ? { kind: 'operation', callId, operationId: leaf } : { kind: 'operation', callId };
  }
  return { kind: 'other', callId };
}

// `calls` right after `communications` or `app` (behind a host and version, or not), then up to
// two more segments; the query and fragment are not part of it.
const CALL_PATH = /(?:^|\/)(?:communications|app)\/calls\/+([^/?#]+)\/*(?:([^/?#]+)\/*(?:([^/?#]+))?)?/i;

function safeDecode(segment: string): string {
  if (!segment.includes('%')) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
