# Switchyard container image: docker build -t switchyard:0.1.0 .
# Two stages: the first installs every dependency and bundles src/ into dist/, the second keeps
# only the bundle and the production dependencies and runs as the unprivileged `node` user.
# The Node version is pinned; raise it deliberately (Node 20 LTS, Debian bookworm, glibc so the
# SQLite driver's prebuilt binary applies).
ARG NODE_IMAGE=node:20.20.2-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json ./
COPY scripts ./scripts
COPY src ./src
COPY ui ./ui
COPY bin ./bin
# Installs the locked dependencies and, through the `prepare` script, bundles dist/.
RUN npm ci --no-audit --no-fund
RUN npm prune --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    SWITCHYARD_STORE_PATH=/data/switchyard.db
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
# /data holds the SQLite store and secret.key; it is the only place the gateway writes.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Exec form: node is PID 1 and receives SIGTERM itself, so a stop drains in-flight requests
# for up to server.shutdown_timeout before exiting.
CMD ["node", "bin/switchyard.js"]
