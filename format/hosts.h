/*
 * The hosts report (track/hosts.h) rendered: as text lines for --hosts and the TUI, and as one
 * JSON object for --hosts=json. Both are pure functions of the report (no clock, no locale;
 * times in UTC), so golden files are stable.
 *
 * JSON keys: "subnets" [{subnet, source, frame?, assigned?, router?, how}], "hosts" [{mac,
 * vendor, ipv4 [{addr, class}], ipv6 [...], roles ["client", "server", "gateway"], local
 * (true/false/null), via?, client_of [...], server_of [...], gateway? {evidence, ...},
 * first_frame, last_frame, frames}], "arp" [{ip, mac, frame, count, first_seen, last_seen,
 * conflict}], "arp_conflicts", "evicted", "cap".
 */
#ifndef PKTSCOPE_FORMAT_HOSTS_H
#define PKTSCOPE_FORMAT_HOSTS_H

#include "format/format.h"
#include "format/line.h"
#include "track/hosts.h"

void format_hosts(struct lines *ls, const struct hosts_report *r);
/* One object over several lines (one host, one ARP entry a line), without the final newline. */
void format_hosts_json(struct json_buf *jb, const struct hosts_report *r);

#endif
