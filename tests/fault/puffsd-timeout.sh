#!/bin/sh
# tests/fault/puffsd-timeout.sh: puffsd with a request timeout, for
# fault.c (the harness starts $PUFFSD with fixed arguments).
exec "$PUFFSD_REAL" --request-timeout "$FAULT_TIMEOUT" "$@"
