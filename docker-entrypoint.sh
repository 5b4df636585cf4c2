#!/bin/sh
# Run the migrations, then the given lado command (default: serve).
set -eu
lado db upgrade
exec lado "$@"
