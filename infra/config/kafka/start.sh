#!/bin/sh
# Starts a broker or a Connect worker from the files in /etc/kafka-lab.
# Works on the locally built image and on apache/kafka alike: both keep jars in /opt/kafka/libs.
set -eu
role="${1:-broker}"
conf=/etc/kafka-lab
cp='/opt/kafka/libs/*'
# The logging config depends on the Kafka version (log4j 1 syntax for 3.9, log4j2 for 4.x): the plan says which.
log="${LAB_LOG_OPTS:--Dlog4j.configuration=file:$conf/log4j.properties}"
agent="-javaagent:/opt/jmx/jmx_prometheus_javaagent.jar=7071:$conf/jmx-exporter.yml"
heap="${LAB_HEAP_OPTS:--Xms256m -Xmx512m}"
jvm="${LAB_JVM_OPTS:-}"
tool="${LAB_TOOL_JVM_OPTS:-}"
# The image's class-data-sharing archive for a JVM (infra/built/kafka/cds-train.sh), when it has one.
cds() { if [ -s "/opt/kafka/cds/$1.jsa" ]; then echo "-XX:SharedArchiveFile=/opt/kafka/cds/$1.jsa"; fi; }
case "$role" in
  broker)
    # Formatting is skipped when the log dir already holds meta.properties (container restart).
    # With SCRAM on the published listener, its user is created in the cluster metadata at format time.
    if [ -n "${LAB_SCRAM_USER:-}" ]; then
      java $tool $(cds tool) $log -cp "$cp" kafka.tools.StorageTool format -t "$LAB_CLUSTER_ID" -c "$conf/server.properties" --ignore-formatted \
        --add-scram "SCRAM-SHA-512=[name=$LAB_SCRAM_USER,password=$LAB_SCRAM_PASSWORD]"
    else
      java $tool $(cds tool) $log -cp "$cp" kafka.tools.StorageTool format -t "$LAB_CLUSTER_ID" -c "$conf/server.properties" --ignore-formatted
    fi
    exec java $heap $jvm $(cds broker) $log $agent -cp "$cp" kafka.Kafka "$conf/server.properties"
    ;;
  connect)
    exec java $heap $jvm $(cds connect) $log $agent -cp "$cp" org.apache.kafka.connect.cli.ConnectDistributed "$conf/connect-distributed.properties"
    ;;
  *)
    echo "start.sh: unknown role '$role' (expected broker or connect)" >&2
    exit 2
    ;;
esac
