import { obpHandler } from '../core/handler';
import { rootInfo } from '../domain/root';

export const handler = obpHandler('root', async (event) => ({ status: 200, body: rootInfo(event.rawPath) }));
