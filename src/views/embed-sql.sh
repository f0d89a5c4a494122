#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Turns contrib/clickhouse/schema.sql into the C string the ClickHouse
# exporter sends for --create, so that the file users read is the one ftio
# runs.  Whole-line comments are left out; statements end with ";" at the
# end of a line.  Only sh and POSIX awk (see embed-page.sh).
#
#   embed-sql.sh SCHEMA >schema-data.h
set -e

if [ $# -ne 1 ]; then
	echo "usage: $0 SCHEMA" >&2
	exit 2
fi
LC_ALL=C exec ${AWK:-awk} '
BEGIN { print "/* generated from " ARGV[1] " by src/views/embed-sql.sh */"
	print "static const char clickhouse_schema[] =" }
/^[ \t]*--/ || /^[ \t]*$/ { next }
{ gsub(/\\/, "\\\\"); gsub(/"/, "\\\""); gsub(/\t/, " "); print "\t\"" $0 "\\n\"" }
END { print "\t\"\";" }
' "$1"
