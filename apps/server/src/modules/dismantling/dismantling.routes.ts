import { newRouter } from '../../http/context.ts';

export const dismantlingRouter = newRouter();
