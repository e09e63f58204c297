import type { Handle } from '../http/state';
import { rootInfo } from '../domain/root';

export const handle: Handle<'root'> = async (obp) => ({ body: rootInfo(obp.path) });
