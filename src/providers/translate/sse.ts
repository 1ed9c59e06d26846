import type { SseEvent } from '../codec';

/**
 * An incremental server-sent-events reader (WHATWG rules, enough for LLM streams): text in, in
 * any chunking; complete events out. Handles `\n`, `\r\n` and `\r` line ends and multi-line data.
 */
export class SseParser {
  private readonly decoder = new TextDecoder();
  private buffer = '';
  private event: string | undefined;
  private data: string[] = [];

  feed(chunk: Uint8Array): SseEvent[] {
    this.buffer += this.decoder.decode(chunk, { stream: true });
    return this.drain(false);
  }

  /** The stream ended: an event without its blank line still counts. */
  end(): SseEvent[] {
    this.buffer += this.decoder.decode();
    const out = this.drain(true);
    if (this.data.length > 0) out.push(this.take());
    return out;
  }

  private drain(final: boolean): SseEvent[] {
    const out: SseEvent[] = [];
    for (;;) {
      const match = /\r\n|\n|\r/.exec(this.buffer);
      if (!match) break;
      // A lone \r at the end may be the first half of \r\n.
      if (match[0] === '\r' && match.index === this.buffer.length - 1 && !final) break;
      const line = this.buffer.slice(0, match.index);
      this.buffer = this.buffer.slice(match.index + match[0].length);
      this.line(line, out);
    }
    if (final && this.buffer.length > 0) {
      this.line(this.buffer, out);
      this.buffer = '';
    }
    return out;
  }

  private line(line: string, out: SseEvent[]): void {
    if (line === '') {
      if (this.data.length > 0) out.push(this.take());
      else this.event = undefined;
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.event = value;
    else if (field === 'data') this.data.push(value);
  }

  private take(): SseEvent {
    const event = { event: this.event, data: this.data.join('\n') };
    this.event = undefined;
    this.data = [];
    return event;
  }
}

/** One SSE event as text: `event:` line when named, one `data:` line (JSON has no newlines). */
export function sse(data: unknown, event?: string): string {
  const head = event ? `event: ${event}\n` : '';
  return `${head}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;
}
