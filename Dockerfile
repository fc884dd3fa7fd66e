# syntax=docker/dockerfile:1
# The Ferry server image k8s/ deploys (ghcr.io/ferry-dev/ferry-server:0.1.0): the server jar with
# its lib/ directory on a Java 17 JRE, run as user 10001. The same image runs every service; the
# arguments choose (`--cluster --services storage`), see docs/DEPLOY.md. server/pom.xml builds an
# equivalent image with Jib, without Docker.
#
#   docker build -t ghcr.io/ferry-dev/ferry-server:0.1.0 .

FROM maven:3-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
# The Maven repository stays in a build cache between builds, out of the image.
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -ntp -Dmaven.test.skip=true -pl server -am package

FROM eclipse-temurin:17-jre
# A numeric user, so Kubernetes can check runAsNonRoot; /data is where the data volume goes.
RUN groupadd --system --gid 10001 ferry \
 && useradd --system --uid 10001 --gid 10001 --home-dir /opt/ferry --no-create-home --shell /usr/sbin/nologin ferry \
 && mkdir /data && chown 10001:10001 /data
WORKDIR /opt/ferry
COPY --from=build /src/server/target/lib/ /opt/ferry/lib/
COPY --from=build /src/server/target/ferry-server.jar /opt/ferry/ferry-server.jar
ENV FERRY_DATA=/data
USER 10001:10001
# gateway (TLS), ops HTTP (/metrics, /health/*), Hazelcast, clustered event bus
EXPOSE 2121 8080 5701 5702
# Hazelcast wants these opens on Java 17 (STACK.md). Memory flags come from JAVA_TOOL_OPTIONS (the
# Deployments set them to fit their limits); arguments follow, e.g. --cluster --services gateway.
ENTRYPOINT ["java", \
  "--add-opens=java.base/java.lang=ALL-UNNAMED", \
  "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", \
  "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED", \
  "-jar", "/opt/ferry/ferry-server.jar"]
