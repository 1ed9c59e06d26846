import { Cron } from 'croner';
import { z } from 'zod';
import { duration } from '../units';

const methodField = z
  .string()
  .regex(/^[A-Za-z]+$/, 'must be an HTTP method')
  .transform((method) => method.toUpperCase());
const pathField = z.string().startsWith('/', 'must start with "/"');

/** `200`, `"2xx"`, or a list of them. Always a list after parsing. */
const statusListSchema = z
  .union([
    z.number().int().min(100).max(599),
    z.string().regex(/^[1-5]xx$/, 'must be a status such as 200 or a class such as "2xx"'),
    z.array(z.union([z.number().int().min(100).max(599), z.string().regex(/^[1-5]xx$/)])).min(1),
  ])
  .transform((value) => (Array.isArray(value) ? value : [value]));

/** The request a probe sends. `body` as an object is sent as JSON. */
function probeRequestFields(defaults: { path: string; useKey: boolean; timeout: number }) {
  return {
    enabled: z.boolean().default(true),
    method: methodField.default('GET'),
    path: pathField.default(defaults.path),
    headers: z.record(z.string().min(1), z.string()).default({}),
    body: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
    use_key: z.boolean().default(defaults.useKey),
    timeout: duration.default(defaults.timeout),
  };
}

/** Active health checks: a probe on an interval whose results move the upstream in or out of rotation. */
export const healthCheckSchema = z
  .object({
    ...probeRequestFields({ path: '/v1/models', useKey: true, timeout: 5_000 }),
    interval: duration.default(60_000),
    expected_status: statusListSchema.default(['2xx']),
    healthy_threshold: z.number().int().min(1).max(100).default(2),
    unhealthy_threshold: z.number().int().min(1).max(100).default(3),
  })
  .strict()
  .refine((check) => check.interval >= 1_000, { message: 'must be at least 1s', path: ['interval'] });

/** Keep-alive pings: a request on an interval or a cron schedule so a serverless upstream never sleeps. */
export const keepaliveSchema = z
  .object({
    ...probeRequestFields({ path: '/', useKey: false, timeout: 10_000 }),
    interval: duration.optional(),
    cron: z.string().min(1).optional(),
    timezone: z.string().min(1).optional(),
  })
  .strict()
  .superRefine((ping, ctx) => {
    if ((ping.interval === undefined) === (ping.cron === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['interval'], message: 'give exactly one of interval or cron' });
    }
    if (ping.interval !== undefined && ping.interval < 1_000) {
      ctx.addIssue({ code: 'custom', path: ['interval'], message: 'must be at least 1s' });
    }
    if (ping.cron !== undefined) {
      try {
        new Cron(ping.cron, { paused: true, timezone: ping.timezone });
      } catch (err) {
        ctx.addIssue({ code: 'custom', path: ['cron'], message: (err as Error).message });
      }
    }
  });

export type HealthCheckConfig = z.output<typeof healthCheckSchema>;
export type KeepaliveConfig = z.output<typeof keepaliveSchema>;
export type ProbeRequestConfig = Pick<
  HealthCheckConfig,
  'method' | 'path' | 'headers' | 'body' | 'use_key' | 'timeout'
>;
