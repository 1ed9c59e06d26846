import { call, enc } from '../api/client';
import type { KeyView, ValidationResult } from '../api/types';

/** What can be done to a key, each one admin API call. */
export type KeyAction = 'enable' | 'disable' | 'reset' | 'validate' | 'delete';

export const KEY_ACTIONS: readonly { action: KeyAction; label: string; writes: boolean }[] = [
  { action: 'disable', label: 'Disable', writes: true },
  { action: 'enable', label: 'Enable', writes: true },
  { action: 'reset', label: 'Reset', writes: false },
  { action: 'validate', label: 'Validate', writes: false },
  { action: 'delete', label: 'Delete', writes: true },
];

export async function runKeyAction(upstream: string, key: KeyView, action: KeyAction): Promise<void> {
  const base = `/admin/upstreams/${enc(upstream)}/keys/${enc(key.id)}`;
  switch (action) {
    case 'enable':
    case 'disable':
      await call('PATCH', base, { json: { enabled: action === 'enable' } });
      return;
    case 'reset':
      await call('POST', `${base}/reset`);
      return;
    case 'validate': {
      const result = await call<ValidationResult>('POST', `${base}/validate`);
      if (result.ok === false) throw new Error(`${key.key}: ${String(result.detail ?? 'invalid')}`);
      return;
    }
    case 'delete':
      await call('DELETE', base);
      return;
  }
}
