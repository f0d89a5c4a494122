#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Compare the kernel's own trace file with `ftio replay --json` output.

Usage: compare-trace.py KERNEL_TRACE FTIO_JSON

Every syscall event line of the kernel's trace file must appear in ftio's
replay with the same timestamp (to the microsecond the kernel prints),
CPU, thread id, event and argument values, in the same order.  Each instance's ring buffer reads the clock on its own,
so timestamps differ by a microsecond or two, and by more when an
interrupt came between the two writes of one event (a VM's virtio
interrupt, a busy host): up to SLACK_US.  A wrong clock or a wrong
timestamp decoding is off by far more.  Values are
compared at the width the kernel printed: syscall tracepoints print an
int argument as 32 bits (dfd: 0xffffff9c) where ftio prints -100.
"""
import json
import re
import sys

SLACK_US = 100

ENTER = re.compile(r'^\s*(.+)-(\d+)\s+\[(\d+)\]\s+\S+\s+(\d+)\.(\d+): (sys_\w+)\((.*)\)\s*$')
EXIT = re.compile(r'^\s*(.+)-(\d+)\s+\[(\d+)\]\s+\S+\s+(\d+)\.(\d+): (sys_\w+) -> (0x[0-9a-f]+)\s*$')


def kernel_events(path):
    out = []
    for line in open(path, encoding='utf-8', errors='replace'):
        if line.startswith('#'):
            continue
        m = ENTER.match(line)
        if m:
            args = [a.split(': ')[1] for a in m.group(7).split(', ') if ': ' in a]
            out.append(dict(tid=int(m.group(2)), cpu=int(m.group(3)),
                            us=int(m.group(4)) * 1000000 + int(m.group(5)),
                            event='sys_enter_' + m.group(6)[4:],
                            values=[int(a, 16) for a in args]))
            continue
        m = EXIT.match(line)
        if m:
            out.append(dict(tid=int(m.group(2)), cpu=int(m.group(3)),
                            us=int(m.group(4)) * 1000000 + int(m.group(5)),
                            event='sys_exit_' + m.group(6)[4:],
                            values=[int(m.group(7), 16)]))
    return out


def same(kernel_value, ftio_value):
    mask = 0xffffffff if kernel_value <= 0xffffffff and ftio_value < 0 else (1 << 64) - 1
    return kernel_value & mask == ftio_value & mask


def main():
    kern = kernel_events(sys.argv[1])
    ftio = []
    for line in open(sys.argv[2], encoding='utf-8'):
        e = json.loads(line)
        if not e['event'] or not e['event'].startswith('sys_'):
            continue
        vals = [v for k, v in e['fields'].items() if k != '__syscall_nr']
        ftio.append(dict(tid=e['tid'], cpu=e['cpu'], us=(e['ts'] + 500) // 1000, event=e['event'],
                         values=vals))
    if not kern:
        print('no syscall events in the kernel trace file', file=sys.stderr)
        return 1
    kern_tids = {k['tid'] for k in kern}
    ftio = [f for f in ftio if f['tid'] in kern_tids]
    # the kernel's instance was switched on by the workload after ftio started
    first = kern[0]
    start = next((i for i, f in enumerate(ftio) if (f['event'], f['tid']) ==
                  (first['event'], first['tid']) and abs(f['us'] - first['us']) <= SLACK_US), None)
    if start is None:
        print('the kernel trace file\'s first event is not in ftio\'s replay', file=sys.stderr)
        return 1
    ftio = ftio[start:]
    if len(kern) != len(ftio):
        print(f'kernel has {len(kern)} events, ftio {len(ftio)}', file=sys.stderr)
        return 1
    for i, (k, f) in enumerate(zip(kern, ftio)):
        problems = []
        for key in ('tid', 'cpu', 'event'):
            if k[key] != f[key]:
                problems.append(f'{key}: kernel {k[key]} ftio {f[key]}')
        if abs(k['us'] - f['us']) > SLACK_US:
            problems.append(f'time: kernel {k["us"]}us ftio {f["us"]}us')
        if len(k['values']) != len(f['values']):
            problems.append(f'{len(k["values"])} values vs {len(f["values"])}')
        else:
            for kv, fv in zip(k['values'], f['values']):
                if not same(kv, fv):
                    problems.append(f'value: kernel {kv:#x} ftio {fv}')
        if problems:
            print(f'event {i} ({k["event"]}) differs: ' + '; '.join(problems), file=sys.stderr)
            return 1
    print(f'{len(kern)} events match field for field')
    return 0


if __name__ == '__main__':
    sys.exit(main())
