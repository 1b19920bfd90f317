FROM maven:3.9-eclipse-temurin-21 AS maven-onbuild
RUN mkdir -p /usr/src/app
WORKDIR /usr/src/app
ONBUILD ADD . /usr/src/app
ONBUILD RUN mvn install -DskipTests

FROM maven-onbuild AS build

FROM eclipse-temurin:21-jre
COPY --from=build /usr/src/app/target/*.jar /app.jar
ENTRYPOINT ["java", "-jar", "/app.jar"]
