import type { ActionDescriptor } from './descriptor.js';
import { cancelMediaOperations } from './cancel.js';
import { MAX_PLAY_PROMPTS, MAX_RECORD_PROMPTS, promptsOf, tonesOf } from './media-params.js';
import { bodyObject, clientContextOf, optionalBoolean, optionalInteger, optionalStrings } from './validate.js';

const clientContextOnly = (body: unknown) => ({ clientContext: clientContextOf(bodyObject(body)), params: {} });

/** Graph's limits on recordResponse timers, in seconds. */
const RECORD_SECONDS = { min: 1, max: 120 };

/** The IVR actions: prompts, recordings, tones. */
export const MEDIA_ACTIONS: readonly ActionDescriptor[] = [
  {
    name: 'playPrompt',
    segment: 'playPrompt',
    target: 'call',
    status: 200,
    completes: 'callback',
    type: '#microsoft.graph.playPromptOperation',
    parse: (raw) => {
      const body = bodyObject(raw);
      return { clientContext: clientContextOf(body), params: { prompts: promptsOf(body, 1, MAX_PLAY_PROMPTS) } };
    },
  },
  {
    name: 'recordResponse',
    segment: 'recordResponse',
    target: 'call',
    status: 200,
    completes: 'callback',
    type: '#microsoft.graph.recordOperation',
    runningFields: { recordingLocation: null },
    failedFields: { recordingLocation: '', recordingAccessToken: '', completionReason: 'unspecifiedError' },
    parse: (raw) => {
      const body = bodyObject(raw);
      const seconds = (key: string) => optionalInteger(body, key, RECORD_SECONDS.min, RECORD_SECONDS.max);
      const params = {
        prompts: promptsOf(body, 0, MAX_RECORD_PROMPTS),
        bargeInAllowed: optionalBoolean(body, 'bargeInAllowed'),
        playBeep: optionalBoolean(body, 'playBeep'),
        initialSilenceTimeoutInSeconds: seconds('initialSilenceTimeoutInSeconds'),
        maxSilenceTimeoutInSeconds: seconds('maxSilenceTimeoutInSeconds'),
        maxRecordDurationInSeconds: seconds('maxRecordDurationInSeconds'),
        stopTones: optionalStrings(body, 'stopTones'),
      };
      return { clientContext: clientContextOf(body), params };
    },
    complete: ({ ctx, call, op }) => {
      const recording = ctx.recordings.create(ctx.baseUrl, call.id, op.id);
      return {
        resultInfo: { code: 200, subcode: 8515, message: 'Action completed, max record duration reached.' },
        fields: { recordingLocation: recording.location, recordingAccessToken: recording.accessToken, completionReason: 'maxRecordDurationReached' },
      };
    },
  },
  {
    name: 'sendDtmfTones',
    segment: 'sendDtmfTones',
    target: 'call',
    status: 200,
    completes: 'callback',
    type: '#microsoft.graph.sendDtmfTonesOperation',
    failedFields: { completionReason: 'unknown' },
    parse: (raw) => {
      const body = bodyObject(raw);
      const delay = optionalInteger(body, 'delayBetweenTonesMs', 0, Number.MAX_SAFE_INTEGER);
      return { clientContext: clientContextOf(body), params: { tones: tonesOf(body), delayBetweenTonesMs: delay } };
    },
    complete: () => ({ fields: { completionReason: 'completedSuccessfully' } }),
  },
  {
    name: 'subscribeToTone',
    segment: 'subscribeToTone',
    target: 'call',
    status: 200,
    completes: 'response',
    type: '#microsoft.graph.subscribeToToneOperation',
    parse: clientContextOnly,
    // From now on, key presses (`emulator.pressTone`) are notified with toneInfo.
    complete: ({ call }) => {
      call.toneSubscribed = true;
      return {};
    },
  },
  {
    name: 'cancelMediaProcessing',
    segment: 'cancelMediaProcessing',
    target: 'call',
    status: 200,
    completes: 'response',
    type: '#microsoft.graph.cancelMediaProcessingOperation',
    parse: clientContextOnly,
    complete: ({ call }) => ({ notices: cancelMediaOperations(call) }),
  },
];
