// Shared payloads of the benchmark: the app id, a signed RS256 token and its key set, and the
// commsNotifications bodies (as objects for the engine, as JSON text for HTTP).
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

export const APP_ID = '2c1b9f4e-6d3a-4c8e-9b7f-0a1d2e3f4a5b';
export const TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';

/** A key set and one token signed with it, valid for an hour: Graph reuses one token on many callbacks. */
export async function signedToken() {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'bench-k1', use: 'sig', alg: 'RS256' }] };
  const token = await new SignJWT({ aud: APP_ID, iss: 'https://api.botframework.com', tid: TENANT_ID })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: 'bench-k1' })
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(privateKey);
  return { jwks, token };
}

const hex12 = (i) => i.toString(16).padStart(12, '0');
/** Deterministic GUID-shaped ids, so that no process has to keep a table of them. */
export const callIdOf = (i) => `0b5e1c2a-0000-4000-8000-${hex12(i)}`;
const participantIdOf = (i, j = 0) => `9a7f${j.toString(16).padStart(4, '0')}-1111-4000-8000-${hex12(i)}`;
export const userIdOf = (i, j = 0) => `278405a3-${j.toString(16).padStart(4, '0')}-4b3e-b684-${hex12(i)}`;
export const clientContextOf = (i) => `c1e2f3a4-0000-4000-8000-${hex12(i)}`;
export const operationIdOf = (i) => `eec3812a-0000-4000-8000-${hex12(i)}`;

/** A Graph participant as the invite page shows it, with a roster sequence number. */
function participant(i, j, seq, muted) {
  return {
    '@odata.type': '#microsoft.graph.participant',
    info: {
      '@odata.type': '#microsoft.graph.participantInfo',
      identity: {
        '@odata.type': '#microsoft.graph.identitySet',
        user: { '@odata.type': '#microsoft.graph.identity', id: userIdOf(i, j), displayName: 'Bench User', tenantId: TENANT_ID },
      },
      endpointType: 'default',
    },
    mediaStreams: [{ '@odata.type': '#microsoft.graph.mediaStream', mediaType: 'audio', sourceId: '1', direction: 'sendReceive', serverMuted: false }],
    isMuted: muted,
    isInLobby: false,
    id: participantIdOf(i, j),
    rosterSequenceNumber: seq,
  };
}

/** One commsNotification about call `callId` (`tail`: `''`, `/participants`, `/operations/{id}`). */
export const notification = (callId, changeType, tail, resourceData) => ({
  '@odata.type': '#microsoft.graph.commsNotification',
  changeType,
  resource: `/app/calls/${callId}${tail}`,
  resourceUrl: `/communications/calls/${callId}${tail}`,
  resourceData,
});
/** A callback body holding these notifications. */
export const body = (...value) => ({ '@odata.type': '#microsoft.graph.commsNotifications', value });

/** One `updated` participants notification of call i with participants j = first..first+count-1. */
export const rosterBody = (i, seq, muted, count = 1, first = 0) =>
  body(notification(callIdOf(i), 'updated', '/participants', Array.from({ length: count }, (_, j) => participant(i, first + j, seq, muted))));

/** The operation of the invite with index i, final. */
export const operationBody = (i, status) =>
  body(notification(callIdOf(i), 'deleted', `/operations/${operationIdOf(i)}`, {
    '@odata.type': '#microsoft.graph.inviteParticipantsOperation', status, clientContext: clientContextOf(i), id: operationIdOf(i),
  }));

/** Call i has ended. */
export const terminatedBody = (i) =>
  body(notification(callIdOf(i), 'updated', '', { '@odata.type': '#microsoft.graph.call', state: 'terminated', resultInfo: { code: 200, subcode: 0, message: 'The conversation has ended.' } }));

// The JSON text of rosterBody(i, seq, muted), built by concatenation: the load generator builds
// one per request, and JSON.stringify would cost it more CPU than the server's parser.
const PARTS = JSON.stringify(rosterBody(0, 7, true)).split(/0b5e1c2a-0000-4000-8000-000000000000|9a7f0000-1111-4000-8000-000000000000|278405a3-0000-4b3e-b684-000000000000|"isMuted":true|"rosterSequenceNumber":7/);
export function rosterJson(i, seq, muted) {
  const c = callIdOf(i);
  const p = PARTS;
  return p[0] + c + p[1] + c + p[2] + userIdOf(i) + p[3] + (muted ? '"isMuted":true' : '"isMuted":false') + p[4] + participantIdOf(i) + p[5] + '"rosterSequenceNumber":' + seq + p[6];
}
if (PARTS.length !== 7 || rosterJson(3, 9, false) !== JSON.stringify(rosterBody(3, 9, false))) throw new Error('rosterJson and rosterBody disagree');

