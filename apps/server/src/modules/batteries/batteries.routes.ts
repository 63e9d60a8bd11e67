import { newRouter } from '../../http/context.ts';

export const batteriesRouter = newRouter();
