import { adminKey, signOut } from './session';

/** An error the admin API answered, in OpenAI's shape. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string,
    readonly param: string | null,
  ) {
    super(message);
  }
}

interface ErrorShape {
  readonly error?: { message?: string; code?: string; param?: string | null };
}

export interface CallOptions {
  readonly json?: unknown;
  readonly text?: string;
  /** A key to try instead of the session's (the sign-in form). */
  readonly key?: string;
}

/**
 * Calls the admin API on this origin with the admin key as a bearer token; no cookie is sent.
 * A 401 with the session's key ends the session.
 */
export async function call<T>(method: string, path: string, options: CallOptions = {}): Promise<T> {
  const key = options.key ?? adminKey();
  const headers: Record<string, string> = {};
  if (key) headers.authorization = `Bearer ${key}`;
  let body: string | undefined;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['content-type'] = 'application/json';
  } else if (options.text !== undefined) {
    body = options.text;
    headers['content-type'] = 'text/plain';
  }
  const res = await fetch(path, { method, headers, body, cache: 'no-store', credentials: 'omit' });
  const text = await res.text();
  const json = text && (res.headers.get('content-type') ?? '').includes('json');
  const parsed: unknown = json ? JSON.parse(text) : text;
  if (!res.ok) {
    const error = (parsed as ErrorShape | undefined)?.error;
    if (res.status === 401 && options.key === undefined) signOut();
    throw new ApiError(
      res.status,
      error?.message ?? `${res.status} ${res.statusText}`,
      error?.code ?? 'http_error',
      error?.param ?? null,
    );
  }
  return parsed as T;
}

export const get = <T>(path: string): Promise<T> => call<T>('GET', path);

/** A query string from the fields that have a value. */
export function query(fields: Readonly<Record<string, string | number | undefined | null>>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    if (value !== undefined && value !== null && value !== '') params.set(name, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

export const enc = encodeURIComponent;
