#!/usr/bin/env bash
# The field oracle with reassembly on both sides (issue 10): tshark with its default preferences
# (IP defragmentation and TCP reassembly on) against pktscope's default, on the same captures as
# tests/scripts/oracle.sh, with the same differences file and threshold.
ORACLE_REASSEMBLY=1 exec bash "$(dirname "$0")/oracle.sh" "$@"
