#!/bin/bash
# The replica: on first start, a base backup of the primary that streams from it (-R writes
# standby.signal and the connection), then a hot standby that answers read-only queries.
set -euo pipefail
PGDATA=/var/lib/postgresql/18/docker
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  mkdir -p "$PGDATA"
  until pg_basebackup -h primary -U replicator -D "$PGDATA" -R -X stream -c fast; do
    echo "waiting for the primary..."
    sleep 2
  done
  chmod 700 "$PGDATA"
fi
# hot_standby_feedback: a vacuum on the primary does not cancel a long BI query here
exec postgres -D "$PGDATA" -c hot_standby=on -c hot_standby_feedback=on -c wal_receiver_status_interval=1s
