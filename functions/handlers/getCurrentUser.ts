import { obpHandler } from '../core/handler';
import { currentUserJson } from '../domain/users';

export const handler = obpHandler('getCurrentUser', async ({ obp }) => ({
  status: 200,
  body: await currentUserJson(obp.userId as string, obp.claims ?? {}),
}));
