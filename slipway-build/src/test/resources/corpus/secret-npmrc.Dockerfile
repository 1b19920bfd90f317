# syntax=docker/dockerfile:1
FROM node:20-alpine
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=secret,id=npmrc,target=/root/.npmrc,required=true npm ci
RUN --mount=type=secret,id=sentry_token,env=SENTRY_AUTH_TOKEN npm run build && npm run upload-sourcemaps
RUN --mount=type=secret,id=aws,mode=0440,uid=1000 cat /run/secrets/aws > /dev/null
COPY . .
CMD ["npm", "start"]
