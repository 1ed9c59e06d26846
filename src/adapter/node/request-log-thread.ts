/**
 * The request log's writer thread (node:worker_threads): its own SQLite connection writes each
 * batch (rows and hourly rollups in one transaction) and runs retention, so neither ever holds
 * the event loop that serves requests. Started by ThreadRequestLogSink.
 */
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { retentionStep } from '../../store/request-log/retention';
import { SqliteRequestLog } from '../../store/request-log/sqlite-request-log';
import { openSqlite } from '../../store/sqlite';
import type { ThreadReply, ThreadRequest, ThreadStart } from './request-log-protocol';

function parent(): MessagePort {
  if (!parentPort) throw new Error('the request log thread runs only as a worker thread');
  return parentPort;
}

const port = parent();
const { path } = workerData as ThreadStart;
const db = openSqlite(path);
const log = new SqliteRequestLog(db);

function retain(now: number, days: number, rollupDays: number): number {
  let deleted = 0;
  for (;;) {
    const step = retentionStep(db, now, days, rollupDays);
    deleted += step.deleted;
    if (!step.more) return deleted;
  }
}

function handle(message: ThreadRequest): ThreadReply | undefined {
  switch (message.kind) {
    case 'append':
      log.write(message.records);
      return { id: message.id };
    case 'retain':
      return { id: message.id, deleted: retain(message.now, message.days, message.rollupDays) };
    case 'close':
      db.close();
      port.close();
      return undefined;
  }
}

port.on('message', (message: ThreadRequest) => {
  let reply: ThreadReply | undefined;
  try {
    reply = handle(message);
  } catch (err) {
    reply = message.kind === 'close' ? undefined : { id: message.id, error: (err as Error).message };
  }
  if (reply) port.postMessage(reply);
});
