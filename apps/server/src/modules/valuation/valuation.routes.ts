import { newRouter } from '../../http/context.ts';

export const valuationRouter = newRouter();
