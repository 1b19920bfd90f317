# syntax=docker/dockerfile:1.7-labs
FROM node:20 AS build
WORKDIR /app
COPY --parents ./packages/*/package.json ./
COPY --exclude=*.test.js --exclude=**/__snapshots__ . .
RUN npm ci && npm run build

FROM nginx:alpine
COPY --link --from=build /app/dist /usr/share/nginx/html
COPY --link --chmod=u=rw,go=r nginx.conf /etc/nginx/nginx.conf
COPY --link --chown=101:101 --chmod=644 robots.txt /usr/share/nginx/html/
