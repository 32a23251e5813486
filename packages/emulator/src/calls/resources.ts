import type { JsonObject, JsonValue, ResultInfo } from '../types.js';
import type { CallRecord, ParticipantRecord } from './registry.js';

/** A resultInfo as Graph writes it in resources and notifications. */
export function resultInfoJson(info: ResultInfo | null): JsonObject | null {
  if (info === null) return null;
  return { '@odata.type': '#microsoft.graph.resultInfo', code: info.code, subcode: info.subcode, message: info.message };
}

/** Fields the call resource lists only when the call has them. */
const OPTIONAL_FIELDS = ['chatInfo', 'meetingInfo', 'answeredBy'] as const;

/** The call resource: what `POST`/`GET /communications/calls` answer and what call notifications carry. */
export function callResource(call: CallRecord): JsonObject {
  const echo = (key: string, fallback: JsonValue): JsonValue => call.request[key] ?? fallback;
  const resource: JsonObject = {
    '@odata.type': '#microsoft.graph.call',
    id: call.id,
    state: call.state,
    direction: call.direction,
    callbackUri: call.callbackUri,
    callChainId: call.callChainId,
    subject: echo('subject', null),
    // An incoming call's source is its caller; a created call's is the bot.
    source: echo('source', { '@odata.type': '#microsoft.graph.participantInfo', identity: call.botIdentity }),
    targets: echo('targets', []),
    requestedModalities: echo('requestedModalities', ['audio']),
    mediaConfig: echo('mediaConfig', null),
    myParticipantId: call.myParticipantId,
    tenantId: call.tenantId,
    resultInfo: resultInfoJson(call.resultInfo),
  };
  // Graph only lists chatInfo/meetingInfo on group calls and meetings; answeredBy once a redirect was picked up.
  for (const key of OPTIONAL_FIELDS) if (call.request[key] !== undefined) resource[key] = call.request[key];
  return resource;
}

/** Options of {@link participantResource}. */
export interface ParticipantShape {
  /** Write `id: null`, as the invite page's examples do. */
  nullId?: boolean;
}

/** A `#microsoft.graph.participant`, shaped like the roster notifications of the invite page. */
export function participantResource(participant: ParticipantRecord, shape: ParticipantShape = {}): JsonObject {
  return {
    '@odata.type': '#microsoft.graph.participant',
    info: {
      '@odata.type': '#microsoft.graph.participantInfo',
      identity: structuredClone(participant.identity),
      endpointType: 'default',
    },
    mediaStreams: [
      {
        '@odata.type': '#microsoft.graph.mediaStream',
        mediaType: 'audio',
        sourceId: participant.sourceId,
        direction: 'sendReceive',
        serverMuted: false,
      },
    ],
    isMuted: participant.isMuted,
    isInLobby: participant.isInLobby,
    rosterSequenceNumber: participant.rosterSequenceNumber,
    id: shape.nullId === true ? null : participant.id,
  };
}
