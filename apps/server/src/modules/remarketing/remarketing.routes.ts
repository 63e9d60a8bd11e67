import { newRouter } from '../../http/context.ts';

export const remarketingRouter = newRouter();
