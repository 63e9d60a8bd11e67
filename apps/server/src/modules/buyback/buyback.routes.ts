import { newRouter } from '../../http/context.ts';

export const buybackRouter = newRouter();
