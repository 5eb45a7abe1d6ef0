#!/bin/sh
# Entry point of every container of docker-compose.yml: whatever a process of the deployment
# creates (task logs, the generated UI passwords file, landing files, the warehouse, snapshots)
# is private to the user it runs as. The tasks set the same umask themselves (hrdw/privacy.py);
# this covers Airflow's own processes too.
umask 0077
exec "$@"
