/** What a Gemini model endpoint's path says: the model, the method, and the API version prefix. */
export interface GeminiTarget {
  /** Everything before `models/…` (`/v1beta/`, or with a mount prefix before it). */
  readonly prefix: string;
  readonly model: string;
  readonly method: GeminiMethod;
}

export type GeminiMethod =
  | 'generateContent'
  | 'streamGenerateContent'
  | 'countTokens'
  | 'embedContent'
  | 'batchEmbedContents';

/**
 * `…/v1beta/models/{model}:{method}` (also `v1` and `v1alpha`). A colon sent as `%3A` was
 * decoded with the path (src/core/request-target.ts).
 */
const TARGET =
  /^(.*\/v1(?:beta|alpha)?\/)models\/([^/:]+):(generateContent|streamGenerateContent|countTokens|embedContent|batchEmbedContents)$/;

/** The Gemini model endpoint a path names, or undefined. */
export function geminiTarget(path: string): GeminiTarget | undefined {
  const match = TARGET.exec(path);
  if (!match) return undefined;
  let model: string;
  try {
    model = decodeURIComponent(match[2]!);
  } catch {
    return undefined;
  }
  return { prefix: match[1]!, model, method: match[3] as GeminiMethod };
}

/** The path of the same method for another model (a route's `rewrite.model`). */
export function geminiPath(target: GeminiTarget, model: string): string {
  const name = model.startsWith('models/') ? model.slice('models/'.length) : model;
  return `${target.prefix}models/${encodeURIComponent(name)}:${target.method}`;
}
