import { z } from 'zod';
import { byteSize, duration } from '../units';

/**
 * `translate`: how requests translated between API formats are shaped (docs/translation.md).
 * `images: inline` fetches image URLs and sends them inline to translated upstreams (Gemini
 * upstreams always get them inline), within `image_max_size` and `image_timeout`.
 */
export const translateSchema = z
  .object({
    images: z.enum(['url', 'inline']).default('url'),
    image_max_size: byteSize.default(20 * 1024 * 1024),
    image_timeout: duration.default(10_000),
  })
  .strict();

export type TranslateConfig = z.output<typeof translateSchema>;
