// The bodies of a call's other notifications, beside the rosters of fixtures.mjs: the call
// itself (established, its media state, a DTMF tone riding on it) and an operation's completion,
// shaped as the mix workload of the HTTP figures sends them (wrk/templates.mjs).
import { body, callIdOf, notification, TENANT_ID } from './fixtures.mjs';
import { operationIdFor } from './fake-graph.mjs';


function call(i, audio, extra) {
  return {
    '@odata.type': '#microsoft.graph.call',
    state: 'established',
    direction: 'incoming',
    callbackUri: 'https://bot.example.com/api/calls',
    requestedModalities: ['audio'],
    mediaState: { '@odata.type': '#microsoft.graph.callMediaState', audio },
    tenantId: TENANT_ID,
    id: callIdOf(i),
    ...extra,
  };
}

/** Call i is established; `audio` ('active' | 'inactive') is its media state: flipping it is a real change of the call. */
export const establishedBody = (i, audio = 'active') => body(notification(callIdOf(i), 'updated', '', call(i, audio)));

/** A DTMF tone in call i (established, audio active): only the tone is new. */
export const toneBody = (i, sequenceId, tone) =>
  body(notification(callIdOf(i), 'updated', '', call(i, 'active', { toneInfo: { '@odata.type': '#microsoft.graph.toneInfo', sequenceId, tone } })));

/** The playPrompt operation the bot sent under `clientContext` (answered by fake-graph.mjs) has completed. */
export function promptDoneBody(i, clientContext) {
  const id = operationIdFor(clientContext);
  return body(notification(callIdOf(i), 'deleted', `/operations/${id}`, {
    '@odata.type': '#microsoft.graph.playPromptOperation',
    id,
    status: 'completed',
    clientContext,
    completionReason: 'completedSuccessfully',
    resultInfo: { '@odata.type': '#microsoft.graph.resultInfo', code: 200, subcode: 0, message: 'Action completed successfully.' },
  }));
}

/** The prompt the bot plays: one WAV file, as Graph's playPrompt page shows it. */
export const PROMPT = { '@odata.type': '#microsoft.graph.mediaPrompt', mediaInfo: { '@odata.type': '#microsoft.graph.mediaInfo', uri: 'https://bot.example.com/menu.wav', resourceId: '1d4f9c36-0000-4000-8000-000000000001' } };
