# The app image: built with Maven from the repository, run on a JRE 25 as a non-root user.
FROM maven:3.9-eclipse-temurin-25 AS build
WORKDIR /src
COPY pom.xml jooq-config.xml ./
COPY db db
COPY src src
RUN mvn -q -B package -DskipTests

FROM eclipse-temurin:25-jre
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
    && useradd --system --create-home app
WORKDIR /app
COPY --from=build /src/target/libs ./libs
COPY --from=build /src/target/call-analytics.jar ./
USER app
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "call-analytics.jar"]
CMD ["serve"]
