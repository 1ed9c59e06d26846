import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { RequestContext } from '../../core/context';
import { logRequest } from '../../gateway/request-line';
import { Redactor } from '../../observe/redact';
import { createLogger } from './logger';

const SECRET = 'tok_live_LOGLINESECRET0123';

function collect(level = 'info') {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const redactor = new Redactor();
  redactor.replaceAll([SECRET]);
  const logger = createLogger({ level, format: 'json', redactor, destination });
  return { lines, logger, redact: (text: string) => redactor.redactField(text) };
}

function context(id: string, given: boolean): RequestContext {
  const ctx = new RequestContext(id, 'POST', `/v1/x/${SECRET}`, 'gw', '10.0.0.1', `agent ${SECRET}`, 0, {});
  ctx.idGiven = given;
  ctx.model = SECRET;
  ctx.error = `upstream said sk-proj-NEVERREGISTERED99 and ${SECRET}`;
  ctx.status = 502;
  return ctx;
}

describe('the request line', () => {
  it('masks every client-chosen field, the request id the client gave too', () => {
    const { lines, logger, redact } = collect();
    logRequest(logger, context(SECRET, true), redact);
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(lines[0]).not.toContain('LOGLINESECRET');
    expect(lines[0]).not.toContain('NEVERREGISTERED');
    expect(line.req_id).toBe('...0123');
    expect(line.path).toBe('/v1/x/...0123');
    expect(line.user_agent).toBe('agent ...0123');
    expect(line.model).toBe('...0123');
    expect(line.error).toBe('upstream said sk-...ED99 and ...0123');
    expect(line.msg).toBe('request');
    expect(line.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('keeps a generated request id as it is and follows the logger level', () => {
    const { lines, logger, redact } = collect();
    logRequest(logger, context('0b6a3b7e-9f6e-4c55-b0e3-3c1f4f5b3a11', false), redact);
    expect((JSON.parse(lines[0]!) as { req_id: string }).req_id).toBe('0b6a3b7e-9f6e-4c55-b0e3-3c1f4f5b3a11');
    logger.level = 'warn';
    logRequest(logger, context('id-2', false), redact);
    expect(lines).toHaveLength(1);
  });
});
