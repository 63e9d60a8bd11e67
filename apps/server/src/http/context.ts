import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { Db } from '../db/database.ts';
import type { AssetRegistrationHooks } from '../modules/assets/index.ts';
import { type Principal, tokenKeyId } from '../modules/parties/index.ts';
import { fieldErrorsFromZod } from '../shared/errors.ts';
import { problemResponse } from './problem.ts';

export interface AppEnv {
  Variables: { principal: Principal; db: Db; assetHooks: { hooks?: AssetRegistrationHooks } };
}

/** A router whose request validation failures become problem+json naming each field. */
export function newRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) {
        const target = (result as { target?: string }).target;
        const prefix = target === 'json' ? '' : (target ?? '');
        return problemResponse(
          c,
          400,
          'invalid_request',
          'the request failed validation',
          fieldErrorsFromZod(result.error.issues, prefix),
        );
      }
    },
  });
}

export const bearerSecurity = [{ bearerAuth: [] }];

/** Who submits events made by this request: the token holder, with the token's key id. */
export function submitterOf(c: Context<AppEnv>): { principal: Principal; keyId: string } {
  const token = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1] ?? '';
  return { principal: c.get('principal'), keyId: tokenKeyId(token) };
}
