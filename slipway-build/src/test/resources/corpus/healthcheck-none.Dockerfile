FROM mongo:7
HEALTHCHECK NONE
VOLUME ["/data/db", "/data/configdb"]
EXPOSE 27017
CMD ["mongod"]
