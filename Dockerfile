# Corridor web process (and CLI). Built by docker-compose.yml; see docs/elasticsearch.md.
#
#   docker build -t corridor .
#   docker run -p 3000:3000 -v corridor-data:/data corridor      # embedded engine
#
# Two stages: the build stage has the compilers better-sqlite3 may need and the dev
# dependencies TypeScript needs; the runtime stage has only what `node dist/src/main.js` reads.

FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 compiles from source when no prebuilt binary matches the platform.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src src
COPY indexer indexer
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production \
    PORT=3000 \
    CORRIDOR_DATA_DIR=/data
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
# Read at run time: templates, static files, vocabularies, sample data, the default sources file.
COPY package.json sources.json ./
COPY views views
COPY public public
COPY vocab vocab
COPY data-sample data-sample
# The data directory holds the embedded index (if used), the run history and the lease file.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# `npm start` would rebuild first; the image is already built.
CMD ["node", "dist/src/main.js"]
