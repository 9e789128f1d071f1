#!/bin/sh
# A class-data-sharing archive for the registry (JDK 17's dynamic AppCDS), made by one training run
# at build time: the registry starts, serves the Confluent API calls a drill makes (register, a
# compatibility check, an evolved schema, reads by id and by subject), and dumps the classes it
# loaded as it exits. The image's CMD hands the archive to the registry, which then maps those
# classes instead of reading and verifying them from its jars again (docs/measurements.md).
# A training run that fails leaves no archive, and the registry starts as it did without one.
set -u
jsa=/opt/apicurio/registry.jsa
api=http://localhost:8080/apis/ccompat/v7
log=/tmp/cds-train.log
post() { curl -sf -X "$1" -H 'Content-Type: application/vnd.schemaregistry.v1+json' "$api$2" -d "$3" >/dev/null; }
v1='{"schema":"{\"type\":\"record\",\"name\":\"Student\",\"fields\":[{\"name\":\"name\",\"type\":\"string\"}]}"}'
v2='{"schema":"{\"type\":\"record\",\"name\":\"Student\",\"fields\":[{\"name\":\"name\",\"type\":\"string\"},{\"name\":\"age\",\"type\":\"int\",\"default\":0}]}"}'

train() {
  java -Xms128m -Xmx512m -XX:ArchiveClassesAtExit="$jsa" -jar /opt/apicurio/apicurio-registry.jar >"$log" 2>&1 &
  registry=$!
  # up to a minute for it to answer
  curl -sf --retry 60 --retry-delay 1 --retry-all-errors "$api/subjects" >/dev/null 2>&1 || return 1
  post PUT /config '{"compatibility":"BACKWARD"}' || return 1
  post POST /subjects/train-value/versions "$v1" || return 1
  post POST /compatibility/subjects/train-value/versions/latest "$v2" || return 1
  post POST /subjects/train-value/versions "$v2" || return 1
  curl -sf "$api/schemas/ids/1" >/dev/null || return 1
  curl -sf "$api/subjects/train-value/versions" >/dev/null || return 1
  post POST /subjects/train-value "$v1" || return 1
}

if train; then ok=1; else ok=; fi
# the JVM dumps its archive as it exits
if [ -n "${registry:-}" ]; then
  kill "$registry" 2>/dev/null
  wait "$registry" 2>/dev/null
fi
if [ -n "$ok" ] && [ -s "$jsa" ]; then
  echo "cds-train: archive $jsa ($(du -m "$jsa" | cut -f1) MB)"
else
  rm -f "$jsa"
  tail -20 "$log" >&2
  echo "cds-train: the training run failed; this image starts without a class-data-sharing archive" >&2
fi
rm -f "$log"
