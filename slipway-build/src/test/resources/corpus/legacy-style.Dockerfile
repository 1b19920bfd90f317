FROM ubuntu:18.04
MAINTAINER Jane Doe <jane@example.com>
ENV DEBIAN_FRONTEND noninteractive
ENV APP_HOME /opt/app
LABEL version 1.0
RUN apt-get update && apt-get install -y python3
ADD . $APP_HOME
WORKDIR $APP_HOME
EXPOSE 5000
CMD python3 app.py
