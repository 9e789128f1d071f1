#!/bin/sh
# Class-data-sharing archives for this image (JDK 17's dynamic AppCDS), made by one training run at
# build time: the storage tool, a broker under a producer's load, and a Connect worker running a
# MirrorMaker 2 connector each dump the classes they loaded when they exit. start.sh hands them to
# the lab's JVMs (-XX:SharedArchiveFile), which then map those classes instead of reading and
# verifying them from the jars again: half a broker's start-up CPU here (docs/measurements.md).
# Trained without the JMX exporter's agent (a JVM dumping an archive refuses agents); the lab's JVMs
# add it, and its few classes load from its jar as before.
# A training run that fails leaves no archive, and the JVMs start as they did without one.
set -u
out=/opt/kafka/cds
work=/tmp/cds-train
cp='/opt/kafka/libs/*'
mkdir -p "$out" "$work"
# waits up to a minute for a command to succeed
within_a_minute() {
  i=0
  until "$@" >/dev/null 2>&1; do
    i=$((i + 1))
    [ "$i" -gt 120 ] && return 1
    sleep 0.5
  done
}
cat >"$work/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@localhost:9093
listeners=PLAINTEXT://localhost:9092,CONTROLLER://localhost:9093
controller.listener.names=CONTROLLER
log.dirs=$work/data
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
EOF
cat >"$work/connect.properties" <<EOF
bootstrap.servers=localhost:9092
group.id=cds-train
key.converter=org.apache.kafka.connect.converters.ByteArrayConverter
value.converter=org.apache.kafka.connect.converters.ByteArrayConverter
config.storage.topic=connect-configs
offset.storage.topic=connect-offsets
status.storage.topic=connect-status
config.storage.replication.factor=1
offset.storage.replication.factor=1
status.storage.replication.factor=1
listeners=http://localhost:8083
plugin.discovery=service_load
EOF

train() {
  java -XX:ArchiveClassesAtExit="$out/tool.jsa" -cp "$cp" kafka.tools.StorageTool format -t MkU3OEVBNTcwNTJENDM2Qg \
    -c "$work/server.properties" >/dev/null || return 1
  java -Xms256m -Xmx512m -XX:ArchiveClassesAtExit="$out/broker.jsa" -cp "$cp" kafka.Kafka \
    "$work/server.properties" >"$work/broker.log" 2>&1 &
  broker=$!
  timeout 120 java -cp "$cp" org.apache.kafka.tools.ProducerPerformance --topic train --num-records 200000 --record-size 100 \
    --throughput -1 --producer-props bootstrap.servers=localhost:9092 acks=all >/dev/null || return 1
  java -Xms256m -Xmx512m -XX:ArchiveClassesAtExit="$out/connect.jsa" -cp "$cp" \
    org.apache.kafka.connect.cli.ConnectDistributed "$work/connect.properties" >"$work/connect.log" 2>&1 &
  connect=$!
  within_a_minute curl -sf http://localhost:8083/connectors || return 1
  curl -sf -X PUT -H 'Content-Type: application/json' http://localhost:8083/connectors/mm2/config -d '{
    "connector.class": "org.apache.kafka.connect.mirror.MirrorSourceConnector",
    "source.cluster.alias": "a", "target.cluster.alias": "b",
    "source.cluster.bootstrap.servers": "localhost:9092", "target.cluster.bootstrap.servers": "localhost:9092",
    "topics": "train", "tasks.max": "1", "replication.factor": "1", "offset-syncs.topic.replication.factor": "1",
    "sync.topic.acls.enabled": "false"}' >/dev/null || return 1
  # the task copies the training topic to a.train: the consumer, producer and MirrorMaker 2 paths load
  within_a_minute sh -c "curl -sf http://localhost:8083/connectors/mm2/status | grep -q '\"tasks\":\[{\"id\":0,\"state\":\"RUNNING\"'" || return 1
  sleep 5
}

if train; then ok=1; else ok=; fi
# a JVM dumps its archive as it exits: Connect first, then the broker it needs
for pid in ${connect:-} ${broker:-}; do
  kill "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
done
rm -rf "$work"
if [ -n "$ok" ] && [ -s "$out/tool.jsa" ] && [ -s "$out/broker.jsa" ] && [ -s "$out/connect.jsa" ]; then
  echo "cds-train: archives $(cd "$out" && ls | tr '\n' ' ')"
else
  rm -rf "$out"
  echo "cds-train: the training run failed; this image starts without class-data-sharing archives" >&2
fi
