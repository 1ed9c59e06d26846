/** Decodes an HTTP/1.1 chunked body incrementally; `onData` gets the payload as latin1 text. */
export class ChunkedDecoder {
  private size = -1;
  private line = '';
  private skipCrlf = 0;
  finished = false;

  constructor(private readonly onData: (text: string) => void) {}

  push(text: string): void {
    let i = 0;
    while (i < text.length && !this.finished) {
      if (this.skipCrlf > 0) {
        const skip = Math.min(this.skipCrlf, text.length - i);
        this.skipCrlf -= skip;
        i += skip;
      } else if (this.size <= 0) {
        const nl = text.indexOf('\n', i);
        if (nl === -1) {
          this.line += text.slice(i);
          return;
        }
        this.size = Number.parseInt(this.line + text.slice(i, nl), 16);
        this.line = '';
        i = nl + 1;
        if (this.size === 0) this.finished = true;
      } else {
        const take = Math.min(this.size, text.length - i);
        this.onData(text.slice(i, i + take));
        this.size -= take;
        i += take;
        if (this.size === 0) {
          this.size = -1;
          this.skipCrlf = 2;
        }
      }
    }
  }
}
