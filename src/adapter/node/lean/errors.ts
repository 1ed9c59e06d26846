/**
 * The lean client's errors carry undici's codes, so the proxy's failure table (src/proxy/failures.ts)
 * and health classification (src/health/classify.ts) treat both transports alike: timeouts by code,
 * a request refused before sending as `not_sent`, everything else as an upstream fault.
 */
class CodedError extends Error {
  readonly code: string;
  constructor(name: string, code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = name;
    this.code = code;
  }
}

/** The TCP or TLS connection did not open within the upstream's `timeouts.connect`. */
export class ConnectTimeoutError extends CodedError {
  constructor(ms: number) {
    super('ConnectTimeoutError', 'UND_ERR_CONNECT_TIMEOUT', `connect timeout after ${ms} ms`);
  }
}

/** No complete response head within `headersTimeout` of the request being sent. */
export class HeadersTimeoutError extends CodedError {
  constructor() {
    super('HeadersTimeoutError', 'UND_ERR_HEADERS_TIMEOUT', 'Headers Timeout Error');
  }
}

/** The body stayed silent longer than `bodyTimeout` between two reads. */
export class BodyTimeoutError extends CodedError {
  constructor() {
    super('BodyTimeoutError', 'UND_ERR_BODY_TIMEOUT', 'Body Timeout Error');
  }
}

/** The connection ended or broke before the response did. */
export class SocketError extends CodedError {
  constructor(message: string, options?: ErrorOptions) {
    super('SocketError', 'UND_ERR_SOCKET', message, options);
  }
}

/** A request the client will not send (bad method, target or header): nothing left the gateway. */
export class InvalidArgumentError extends CodedError {
  constructor(message: string) {
    super('InvalidArgumentError', 'UND_ERR_INVALID_ARG', message);
  }
}

/** The upstream's bytes are not a valid HTTP/1.1 response; `code` names the rule (llhttp's style). */
export class ResponseParseError extends CodedError {
  constructor(code: string, message: string) {
    super('HTTPParserError', code, message);
  }
}

/** The pool was closed while the request waited or ran. */
export class ClientClosedError extends CodedError {
  constructor() {
    super('ClientClosedError', 'UND_ERR_CLOSED', 'The client is closed');
  }
}
