ARG JDK=eclipse-temurin:21-jdk-alpine
FROM ${JDK} AS jre
RUN $JAVA_HOME/bin/jlink \
      --add-modules java.base,java.logging,java.net.http,java.sql,jdk.crypto.ec \
      --strip-debug --no-man-pages --no-header-files --compress=zip-6 \
      --output /javaruntime

FROM alpine:3.20
ENV JAVA_HOME=/opt/java/openjdk
ENV PATH="${JAVA_HOME}/bin:${PATH}"
COPY --from=jre /javaruntime $JAVA_HOME
RUN mkdir /opt/app
COPY target/app.jar /opt/app/
CMD ["java", "-jar", "/opt/app/app.jar"]
