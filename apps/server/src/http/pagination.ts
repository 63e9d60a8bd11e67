import { z } from '@hono/zod-openapi';

export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50).openapi({ description: 'page size, 1–500' }),
  after: z.string().optional().openapi({ description: 'cursor: the `next` value of the previous page' }),
});

/** One page of a listing: the items and the cursor of the next page (null at the end). */
export function page<T extends { id: string }>(items: T[], limit: number) {
  return { items, next: items.length === limit ? items[items.length - 1]!.id : null };
}

export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), next: z.string().nullable() });
