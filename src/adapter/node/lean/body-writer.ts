import type { Socket } from 'node:net';
import { CHUNK_END, chunkHeader, LAST_CHUNK } from './request-writer';

/**
 * Streams a request body in chunked encoding, waiting for the socket to drain whenever its
 * buffer is full (backpressure towards the body's source). Stops when `current` turns false (the
 * request ended or was aborted); a source that throws rejects, and the connection fails.
 */
export async function writeBody(
  socket: Socket,
  body: AsyncIterable<Uint8Array>,
  current: () => boolean,
): Promise<void> {
  for await (const chunk of body) {
    if (!current()) return;
    if (chunk.length === 0) continue;
    socket.cork();
    socket.write(chunkHeader(chunk.length), 'latin1');
    socket.write(chunk);
    const roomLeft = socket.write(CHUNK_END, 'latin1');
    socket.uncork();
    if (!roomLeft) await drained(socket);
  }
  if (current()) socket.write(LAST_CHUNK, 'latin1');
}

function drained(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      socket.off('drain', done);
      socket.off('close', done);
      resolve();
    };
    socket.on('drain', done);
    socket.on('close', done);
  });
}
