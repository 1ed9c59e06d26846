import type { Verdict } from '../health/verdict';
import type { ErrorField, ErrorMarker } from './types';

/** The statuses where an auth, quota or rate-limit code is evidence about the key. */
export const KEY_STATUSES: readonly number[] = [401, 402, 403, 429];

/** One marker per field: `codes('invalid_api_key', ['code', 'type'], …)`. */
function codes(
  value: string,
  fields: readonly ErrorField[],
  statuses: readonly number[],
  verdict: Verdict,
): ErrorMarker[] {
  return fields.map((field) => ({ field, value, statuses, verdict }));
}

/** OpenAI's own codes (`error.code`, sometimes `error.type`); most compatible servers reuse them. */
export const OPENAI_MARKERS: readonly ErrorMarker[] = [
  ...codes('invalid_api_key', ['code', 'type'], [401, 403], 'invalid_key'),
  ...codes('account_deactivated', ['code', 'type'], [401, 403], 'invalid_key'),
  ...codes('insufficient_quota', ['code', 'type'], KEY_STATUSES, 'quota_exhausted'),
  ...codes('billing_not_active', ['code', 'type'], KEY_STATUSES, 'quota_exhausted'),
  ...codes('billing_hard_limit_reached', ['code', 'type'], KEY_STATUSES, 'quota_exhausted'),
];

/** Anthropic: `{"type":"error","error":{"type":"authentication_error",…}}`. */
export const ANTHROPIC_MARKERS: readonly ErrorMarker[] = [
  ...codes('authentication_error', ['type'], [401], 'invalid_key'),
  ...codes('permission_error', ['type'], [403], 'invalid_key'),
  ...codes('billing_error', ['type'], [400, 402], 'quota_exhausted'),
  {
    field: 'message',
    value: 'Your credit balance is too low',
    prefix: true,
    statuses: [400],
    verdict: 'quota_exhausted',
  },
  ...codes('rate_limit_error', ['type'], [429], 'rate_limited'),
  ...codes('overloaded_error', ['type'], [529], 'upstream_fault'),
];

/**
 * Gemini: `{"error":{"code":400,"status":"INVALID_ARGUMENT","details":[{"reason":"API_KEY_INVALID"}]}}`
 * (its OpenAI-compatible endpoint wraps it in an array). A bare 403 PERMISSION_DENIED is not
 * enough: Gemini also says it for a file or tuned model of another project.
 */
export const GEMINI_MARKERS: readonly ErrorMarker[] = [
  ...codes('API_KEY_INVALID', ['reason'], [400, 401, 403], 'invalid_key'),
  ...codes('API_KEY_SERVICE_BLOCKED', ['reason'], [403], 'invalid_key'),
  ...codes('SERVICE_DISABLED', ['reason'], [403], 'invalid_key'),
  ...codes('CONSUMER_SUSPENDED', ['reason'], [403], 'invalid_key'),
  { field: 'message', value: 'API key not valid', prefix: true, statuses: [400], verdict: 'invalid_key' },
  { field: 'message', value: 'API key expired', prefix: true, statuses: [400], verdict: 'invalid_key' },
  ...codes('RESOURCE_EXHAUSTED', ['status'], [429], 'rate_limited'),
  ...OPENAI_MARKERS,
];
