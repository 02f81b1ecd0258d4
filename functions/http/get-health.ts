import { httpHandler } from '../../lib/http/http-handler';

/** Answers any caller with a verified token: proves the gateway, the authorizer and a function work. */
export const handler = httpHandler({}, async () => ({ status: 200, body: { data: { status: 'ok' } } }));
