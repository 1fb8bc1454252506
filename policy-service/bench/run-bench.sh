#!/usr/bin/env bash
# Alternates two builds of policy-service (e.g. /work/baseline/policy and policy-service/target/quarkus-app)
# against the broker and PostgreSQL of POSTWAY_KAFKA_BOOTSTRAP / POSTWAY_PG_*: per round and build, a
# fresh service (own database, own events topic and group), a warm-up, then the measured messages.
# usage: run-bench.sh ROUNDS WARMUP MESSAGES APP_DIR_A APP_DIR_B   (prints one line per run)
# BENCH_JVM_OPTS: the services' further JVM options; BENCH_REST_SECONDS [15]: the pause after the
# load before the RSS "after rest" is read (what the service gives back once idle)
set -euo pipefail
rounds=$1 warmup=$2 messages=$3; shift 3
here="$(cd "$(dirname "$0")" && pwd)"
m2=~/.m2/repository
cp="$m2/org/apache/kafka/kafka-clients/4.1.2/kafka-clients-4.1.2.jar:$m2/org/slf4j/slf4j-api/2.0.17/slf4j-api-2.0.17.jar"
port=${BENCH_POLICY_PORT:-18581}
for round in $(seq 1 "$rounds"); do
  for app in "$@"; do
    tag="$(basename "$(dirname "$app")")-$(basename "$app")-$round-$RANDOM"
    db="bench_policy_${tag//[^a-z0-9]/_}"
    psql -q -h "$POSTWAY_PG_HOST" -p "$POSTWAY_PG_PORT" -U "${POSTWAY_PG_USER:-postgres}" -c "create database $db" postgres
    log="/tmp/pjvm-bench-$tag.log"
    env QUARKUS_PROFILE=prod,local QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT=$port \
      QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://$POSTWAY_PG_HOST:$POSTWAY_PG_PORT/$db" \
      POSTWAY_POLICY_TLS_REPORTS_EVENTS_TOPIC="bench.delivery-events.$tag" POSTWAY_POLICY_TLS_REPORTS_EVENTS_GROUP="bench-$tag" \
      POSTWAY_ADMIN_KEY=bench-admin POSTWAY_CLIENT_KEY=bench-client POSTWAY_SECRET_KEYS="bench1:$(head -c 32 /dev/urandom | base64 -w0)" \
      java -Xmx256m ${BENCH_JVM_OPTS:-} -jar "$app/quarkus-run.jar" > "$log" 2>&1 &
    pid=$!
    until grep -q "started in" "$log"; do sleep 0.5; kill -0 $pid || { cat "$log"; exit 1; }; done
    java -cp "$cp" "$here/tls-reports-bench.java" "$POSTWAY_KAFKA_BOOTSTRAP" "bench.delivery-events.$tag" "bench-$tag" $pid "$warmup" > /dev/null
    echo "$app round $round: $(java -cp "$cp" "$here/tls-reports-bench.java" "$POSTWAY_KAFKA_BOOTSTRAP" "bench.delivery-events.$tag" "bench-$tag" $pid "$messages") rss=$(awk '/VmRSS/{print $2/1024 " MB"}' /proc/$pid/status) load=$(cut -d' ' -f1 /proc/loadavg)"
    sleep "${BENCH_REST_SECONDS:-15}"
    echo "  rss after ${BENCH_REST_SECONDS:-15} s at rest: $(awk '/VmRSS/{print $2/1024 " MB"}' /proc/$pid/status)"
    kill $pid; wait $pid || true
  done
done
