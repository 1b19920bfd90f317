FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /workspace
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
RUN mvn -B -q package -DskipTests

FROM gcr.io/distroless/java21-debian12:nonroot
COPY --from=build /workspace/target/app.jar /app/app.jar
WORKDIR /app
USER 65532:65532
CMD ["app.jar"]
