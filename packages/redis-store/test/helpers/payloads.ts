import { seed } from '../../../../test/helpers/fixtures.js';

/** One invite of the multi-process test: which call, which user, which clientContext. */
export interface PlannedInvite {
  callId: string;
  user: string;
  clientContext: string;
  operationId: string;
}

/** The seed invite request, for one user and clientContext. */
export function inviteRequest(invite: PlannedInvite) {
  const request = seed('ex1-invite-one', 'request');
  delete request.participants[0].replacesCallId;
  request.participants[0].identity.user.id = invite.user;
  request.clientContext = invite.clientContext;
  return request;
}

/** What the scripted Graph answers to an invite: the seed response with this invite's ids. */
export function inviteResponse(body: { clientContext: string; participants: unknown[] }, operationId: string) {
  const response = seed('ex1-invite-one', 'response');
  response.id = operationId;
  response.clientContext = body.clientContext;
  response.participants = body.participants;
  return response;
}

/** The seed roster notification, listing these users of the call (participant id = `p-<user>`). */
export function rosterNotification(callId: string, users: string[]) {
  const body = seed('ex1-invite-one', 'notification-roster');
  const template = body.value[0].resourceData[0];
  body.value[0].resource = `/app/calls/${callId}/participants`;
  body.value[0].resourceUrl = `/communications/calls/${callId}/participants`;
  body.value[0].resourceData = users.map((user) => {
    const participant = structuredClone(template);
    participant.id = `p-${user}`;
    participant.info.identity = { '@odata.type': '#microsoft.graph.identitySet', user: { '@odata.type': '#microsoft.graph.identity', id: user, tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47' } };
    return participant;
  });
  return body;
}

/** The seed final operation notification, for one invite. */
export function operationNotification(invite: PlannedInvite) {
  const body = seed('ex1-invite-one', 'notification-operation');
  const notification = body.value[0];
  notification.resource = `/app/calls/${invite.callId}/operations/${invite.operationId}`;
  notification.resourceUrl = `/communications/calls/${invite.callId}/operations/${invite.operationId}`;
  notification.resourceData.id = invite.operationId;
  notification.resourceData.clientContext = invite.clientContext;
  notification.resourceData.participants[0].identity.user.id = invite.user;
  return body;
}
