FROM node:20
WORKDIR app
USER node
WORKDIR src
COPY --chown=node:node . .
RUN npm install
CMD ["node", "index.js"]
