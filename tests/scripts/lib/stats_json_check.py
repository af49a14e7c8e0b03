#!/usr/bin/env python3
"""Checks that --stats=json holds every number of --stats text, with the same value.
Usage: stats_json_check.py TEXT_FILE JSON_FILE   Exit 0 when every number is there.

Each text line is mapped to its JSON key by its section and label; a line this script cannot
map is a failure too, so a number added to the text must be added to the JSON (and here)."""
import json
import re
import sys

CAPTURE = {
    'Packets': 'packets', 'Bytes captured': 'bytes_captured',
    'Bytes on the wire': 'bytes_on_wire', 'First packet': 'first_packet',
    'Last packet': 'last_packet', 'Time span': 'time_span',
    'Truncated packets': 'truncated_packets', 'Malformed packets': 'malformed_packets',
    'Unsupported packets': 'unsupported_packets',
}
CONNS = {
    'TCP connections': 'tcp_connections', 'UDP flows': 'udp_flows',
    'ICMP exchanges': 'icmp_exchanges', 'Flows created': 'flows_created',
    'Flows open at the end': 'flows_open', 'Flows in table at the end': 'flows_active', 'Flows evicted (table full)': 'flows_evicted',
    'Flows timed out (idle)': 'flows_timed_out', 'Flows dropped 5 s after end': 'flows_ended', 'Memory per flow (bytes)': 'memory_per_flow',
    'Requests evicted (pairing)': 'pairs_evicted', 'Stream numbers forgotten': 'stream_keys_forgotten',
}
REASM = {
    'IP datagrams reassembled': 'ip_datagrams_reassembled',
    'IP datagrams incomplete': 'ip_datagrams_incomplete',
    'IP datagrams dropped (cap)': 'ip_datagrams_dropped',
    'Overlapping fragment sets': 'overlapping_fragment_sets',
    'TCP messages reassembled': 'tcp_messages_reassembled',
    'TCP messages dropped': 'tcp_messages_dropped', 'TCP holes in messages': 'tcp_holes',
    'TCP segments out of order': 'tcp_segments_out_of_order',
    'TCP streams let go (memory)': 'tcp_streams_evicted_for_memory',
    'Peak memory (bytes)': 'peak_memory',
}
# "  label    value": the value is the trailing number (with its unit, or a date).
KV = re.compile(r'^  (\S.*?)\s+(\d[\d.:\- ]*(?: UTC| s| packets)?)$')


def main():
    text = open(sys.argv[1]).read().rstrip('\n').split('\n')
    j = json.load(open(sys.argv[2]))
    fails = []
    checked = 0
    section = None
    path = []  # the hierarchy nodes of the lines above, by depth

    def same(what, got, want):
        nonlocal checked
        checked += 1
        if got != want:
            fails.append(f'{section}: {what}: text {want!r}, json {got!r}')

    for line in text:
        if not line.startswith(' '):
            section = line.split('  ')[0]
            continue
        if section == 'Protocol hierarchy':
            m = re.match(r'^( +)(\S+)\s+(\d+)\s+(\d+)\s+([\d.]+)%\s+([\d.]+)%$', line)
            if m:
                depth = (len(m.group(1)) - 2) // 2
                kids = j['protocol_hierarchy'] if depth == 0 else path[depth - 1]['children']
                node = next((n for n in kids if n['protocol'] == m.group(2)
                             and n not in path[depth:depth + 1] and n.get('_seen') is None), None)
                if node is None:
                    fails.append(f'hierarchy: no JSON node for {line.strip()!r}')
                    continue
                node['_seen'] = True
                del path[depth:]
                path.append(node)
                same(m.group(2) + ' packets', node['packets'], int(m.group(3)))
                same(m.group(2) + ' bytes', node['bytes'], int(m.group(4)))
                same(m.group(2) + ' share', f"{node['share']:.2f}", m.group(5))
                same(m.group(2) + ' byte share', f"{node['byte_share']:.2f}", m.group(6))
                continue
            m = KV.match(line)
            if m and m.group(1) == '(paths not counted)':
                same('paths not counted', j['paths_not_counted'], int(m.group(2)))
                continue
            fails.append(f'unmapped hierarchy line {line!r}')
            continue
        m = KV.match(line)
        if not m:
            fails.append(f'{section}: unmapped line {line!r}')
            continue
        label, value = m.group(1), m.group(2)
        if section == 'Capture' and label in CAPTURE:
            got = j['capture'].get(CAPTURE[label])
            if label == 'Time span':
                same(label, f'{got:.6f} s', value)
            elif label in ('First packet', 'Last packet'):
                same(label, got, value)
            else:
                same(label, got, int(value))
        elif section == 'Link types':
            mm = re.match(r'^(\d+) (.*)$', label)
            v = int(value.split()[0])
            if label == 'other link types':
                same(label, j['link_types_other'], v)
            elif mm:
                lt = [x for x in j['link_types'] if x['linktype'] == int(mm.group(1))]
                same(label, [(x['name'], x['packets']) for x in lt], [(mm.group(2), v)])
            else:
                fails.append(f'unmapped link type line {line!r}')
        elif section == 'Anomalies':
            same(label, j['anomalies'].get(label), int(value))
        elif section == 'TCP analysis':
            same(label, j['tcp_analysis'].get(label), int(value))
        elif section == 'TCP phases (packets)':
            same(label, j['tcp_phases'].get(label), int(value))
        elif section == 'Connections (tracker)' and label in CONNS:
            same(label, (j['connections'] or {}).get(CONNS[label]), int(value))
        elif section == 'Reassembly' and label in REASM:
            same(label, (j['reassembly'] or {}).get(REASM[label]), int(value))
        else:
            fails.append(f'{section}: unmapped line {line!r}')
    # The other way: what the text leaves out (zero counts) must be zero or absent in JSON.
    sections = {l for l in text if not l.startswith(' ')}
    if 'Anomalies' not in sections and j['anomalies']:
        fails.append(f'json has anomalies the text does not show: {j["anomalies"]}')
    if 'TCP analysis' not in sections and j['tcp_analysis']:
        fails.append(f'json has TCP analysis the text does not show: {j["tcp_analysis"]}')
    if 'Reassembly' not in sections and j['reassembly'] is not None:
        fails.append('json has reassembly counters, the text none')
    for f in fails:
        print('FAIL', f)
    print(f'stats json: {checked} numbers compared, {len(fails)} failures')
    return 1 if fails else 0


if __name__ == '__main__':
    sys.exit(main())
