/**
 * nginx as the classic multi-key reverse proxy: one `upstream` block whose servers are local
 * virtual servers, one per API key, each setting its own `Authorization` and passing on to the
 * real upstream (here the mock). Keep-alive on both hops, no buffering (streams pass at once),
 * no access log.
 */
export interface NginxConfigOptions {
  readonly prefix: string;
  readonly port: number;
  readonly keyPorts: readonly number[];
  readonly keys: readonly string[];
  readonly upstream: string;
  /** Worker processes, all on the same core; more than one only to fit the file-descriptor limit. */
  readonly workers: number;
  readonly workerConnections: number;
  /** Shorter than the mock's idle close, so nginx never reuses a connection the mock is closing. */
  readonly upstreamKeepAliveSeconds: number;
}

const PROXY = `proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
      proxy_request_buffering off;
      proxy_read_timeout 300s;`;

export function nginxConfig(o: NginxConfigOptions): string {
  const reuse = o.workers > 1 ? ' reuseport' : '';
  const keyServers = o.keyPorts
    .map(
      (port, i) => `  server {
    listen 127.0.0.1:${port}${reuse} backlog=4096;
    location / {
      proxy_set_header Authorization "Bearer ${o.keys[i]}";
      proxy_pass http://api;
      ${PROXY}
    }
  }`,
    )
    .join('\n');
  return `daemon off;
master_process on;
user root;
worker_processes ${o.workers};
worker_rlimit_nofile ${o.workerConnections};
pid ${o.prefix}/nginx.pid;
error_log ${o.prefix}/error.log warn;
events {
  worker_connections ${o.workerConnections};
  multi_accept on;
}
http {
  access_log off;
  client_body_temp_path ${o.prefix}/body;
  proxy_temp_path ${o.prefix}/proxy;
  fastcgi_temp_path ${o.prefix}/fastcgi;
  uwsgi_temp_path ${o.prefix}/uwsgi;
  scgi_temp_path ${o.prefix}/scgi;
  keepalive_requests 1000000;
  upstream api {
    server ${o.upstream};
    keepalive 512;
    keepalive_requests 1000000;
    keepalive_timeout ${o.upstreamKeepAliveSeconds}s;
  }
  upstream keys {
${o.keyPorts.map((port) => `    server 127.0.0.1:${port};`).join('\n')}
    keepalive 512;
    keepalive_requests 1000000;
    keepalive_timeout ${o.upstreamKeepAliveSeconds}s;
  }
  server {
    listen 127.0.0.1:${o.port}${reuse} backlog=4096;
    location / {
      proxy_pass http://keys;
      ${PROXY}
    }
  }
${keyServers}
}
`;
}
