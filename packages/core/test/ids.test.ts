import { describe, it, expect } from '@jest/globals';
import { canonicalId, sameId, CallingBot, type CommsNotifications } from '@graph-comms/core';
import { recordEvents } from '../../../test/helpers/recorder.js';

const DASHED = '57dab8b1-894c-409a-b240-bd8beae78896';
const PRINTED_IN_PATHS = '57DAB8B1894C409AB240BD8BEAE78896';

describe('ids in both of Graph\u2019s forms', () => {
  it.each([
    [DASHED, DASHED],
    [PRINTED_IN_PATHS, DASHED],
    ['57DAB8B1-894C-409A-B240-BD8BEAE78896', DASHED],
    ['57dab8b1894c409ab240bd8beae78896', DASHED],
    ['not-a-guid', 'not-a-guid'],
    ['491f0b00-ffff-4bc9-a43e-b226498ec22a-extra', '491f0b00-ffff-4bc9-a43e-b226498ec22a-extra'],
    ['57DAB8B1894C409AB240BD8BEAE7889Z', '57DAB8B1894C409AB240BD8BEAE7889Z'],
  ])('%s has the canonical form %s', (id, canonical) => {
    expect(canonicalId(id)).toBe(canonical);
  });

  it('compares ids whichever form each is in, and nothing else', () => {
    expect(sameId(DASHED, PRINTED_IN_PATHS)).toBe(true);
    expect(sameId('Op-1', 'op-1')).toBe(false); // not GUIDs: as they are
    expect(sameId(null, null)).toBe(false);
  });

  it('keeps one record per call, reports the id as first used, and finds it by either form', async () => {
    const bot = new CallingBot({ logger: false, appId: 'app', tokenVerifier: false });
    const rec = recordEvents(bot);
    const roster = (path: string, id: string, isMuted: boolean): CommsNotifications => ({
      value: [{ changeType: 'updated', resourceUrl: path, resourceData: [{ id, isMuted, info: { identity: { user: { id: 'u' } } } }] }],
    });
    await bot.processNotifications(roster(`/communications/calls/${DASHED}/participants`, 'p1', false));
    // No leading slash, and the other form, as Microsoft's hold-music and playPrompt pages print.
    await bot.processNotifications(roster(`communications/calls/${PRINTED_IN_PATHS}/participants`, 'p1', true));
    expect(rec.of('rosterUpdated').map((e) => [e.callId, e.added.length, e.updated.length])).toEqual([
      [DASHED, 1, 0],
      [DASHED, 0, 1],
    ]);
    expect(await bot.getCall(PRINTED_IN_PATHS)).toBe(await bot.getCall(DASHED));
    expect((await bot.getCall(DASHED))!.roster).toHaveLength(1);
    await bot.close();
  });
});
