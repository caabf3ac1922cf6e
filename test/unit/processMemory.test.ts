import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { watchMemory } from '../../server/src/engine/render/memoryWatch';
import {
  linuxTreeRssKB,
  linuxTreeSampler,
  parseProcChildren,
  parseProcStatus,
  parsePsTable,
  parseTasklistCsv,
  sampleIntervalMs,
  treeRssKB,
} from '../../server/src/engine/render/processMemory';

/** /proc/<pid>/status of a Go binary, as Linux 6.x prints it (shortened). */
function procStatus(pid: number, ppid: number, rssKB: number | undefined): string {
  return [
    'Name:\tkustomize',
    'Umask:\t0022',
    'State:\tR (running)',
    `Tgid:\t${pid}`,
    'Ngid:\t0',
    `Pid:\t${pid}`,
    `PPid:\t${ppid}`,
    'TracerPid:\t0',
    'VmPeak:\t 1262424 kB',
    'VmSize:\t 1262424 kB',
    'VmHWM:\t  612000 kB',
    ...(rssKB === undefined ? [] : [`VmRSS:\t  ${rssKB} kB`]),
    'RssAnon:\t  590000 kB',
    'RssFile:\t   22000 kB',
    'Threads:\t12',
    '',
  ].join('\n');
}

describe('parseProcStatus', () => {
  it('reads VmRSS in KiB and the parent pid', () => {
    assert.deepEqual(parseProcStatus(procStatus(4242, 17, 612345)), { ppid: 17, rssKB: 612345 });
  });

  it('is undefined for a zombie or a kernel thread (no VmRSS line)', () => {
    assert.equal(parseProcStatus(procStatus(4242, 17, undefined)), undefined);
    assert.equal(parseProcStatus(''), undefined);
  });

  it('does not take VmHWM or RssAnon for VmRSS', () => {
    assert.equal(parseProcStatus('VmHWM:\t 900 kB\nRssAnon:\t 800 kB\nVmRSS:\t 5 kB\n')?.rssKB, 5);
  });
});

describe('parseProcChildren', () => {
  it('reads the space-separated pids of a task children file', () => {
    assert.deepEqual(parseProcChildren('4301 4302 '), [4301, 4302]);
    assert.deepEqual(parseProcChildren(''), []);
  });
});

describe('parsePsTable', () => {
  it('reads `ps -A -o pid=,ppid=,rss=` with its right-aligned columns', () => {
    const text = '    1     0  12800\n  501     1   4096\n 4242   501 812340\n 4300  4242  20480\n';
    assert.deepEqual(parsePsTable(text), [
      { pid: 1, ppid: 0, rssKB: 12800 },
      { pid: 501, ppid: 1, rssKB: 4096 },
      { pid: 4242, ppid: 501, rssKB: 812340 },
      { pid: 4300, ppid: 4242, rssKB: 20480 },
    ]);
  });

  it('skips a header and malformed lines', () => {
    assert.deepEqual(parsePsTable('  PID  PPID   RSS\n 7 1 99\nnot a row\n\n'), [
      { pid: 7, ppid: 1, rssKB: 99 },
    ]);
  });
});

describe('parseTasklistCsv', () => {
  it('reads the working set of `tasklist /FO CSV /NH` in KiB (en-US grouping)', () => {
    const text =
      '"System Idle Process","0","Services","0","8 K"\r\n' +
      '"helm.exe","4242","Console","1","1,048,580 K"\r\n';
    assert.deepEqual(parseTasklistCsv(text), [
      { pid: 0, rssKB: 8 },
      { pid: 4242, rssKB: 1048580 },
    ]);
  });

  it('reads the digits whatever the locale groups them with', () => {
    const german = '"kustomize.exe","77","Console","1","45.678 K"';
    const french = '"kustomize.exe","77","Console","1","45\u00a0678 Ko"';
    assert.deepEqual(parseTasklistCsv(german), [{ pid: 77, rssKB: 45678 }]);
    assert.deepEqual(parseTasklistCsv(french), [{ pid: 77, rssKB: 45678 }]);
  });

  it('keeps a comma inside an image name and skips the "no tasks" line', () => {
    assert.deepEqual(parseTasklistCsv('"a,b.exe","9","Console","1","100 K"'), [
      { pid: 9, rssKB: 100 },
    ]);
    assert.deepEqual(
      parseTasklistCsv('INFO: No tasks are running which match the specified criteria.\r\n'),
      [],
    );
  });
});

describe('treeRssKB', () => {
  const rows = [
    { pid: 1, ppid: 0, rssKB: 1000 },
    { pid: 10, ppid: 1, rssKB: 300 },
    { pid: 11, ppid: 10, rssKB: 50 },
    { pid: 12, ppid: 11, rssKB: 5 },
    { pid: 20, ppid: 1, rssKB: 7000 },
  ];

  it('adds the root and all its descendants, not its siblings or parent', () => {
    assert.equal(treeRssKB(rows, 10), 355);
    assert.equal(treeRssKB(rows, 12), 5);
  });

  it('is undefined when the root has exited', () => {
    assert.equal(treeRssKB(rows, 99), undefined);
  });

  it('counts only the root when the table has no parents (tasklist)', () => {
    assert.equal(
      treeRssKB(
        [
          { pid: 5, rssKB: 40 },
          { pid: 6, rssKB: 4000 },
        ],
        5,
      ),
      40,
    );
  });

  it('terminates on a cycle of parents', () => {
    assert.equal(
      treeRssKB(
        [
          { pid: 2, ppid: 3, rssKB: 1 },
          { pid: 3, ppid: 2, rssKB: 2 },
        ],
        2,
      ),
      3,
    );
  });
});

describe('linuxTreeRssKB on a /proc tree', () => {
  const proc = mkdtempSync(path.join(os.tmpdir(), 'fake-proc-'));
  after(() => rmSync(proc, { recursive: true, force: true }));

  function processDir(
    pid: number,
    ppid: number,
    rssKB: number | undefined,
    threads: Record<number, number[]>,
  ): void {
    mkdirSync(path.join(proc, String(pid)), { recursive: true });
    writeFileSync(path.join(proc, String(pid), 'status'), procStatus(pid, ppid, rssKB));
    for (const [tid, children] of Object.entries(threads)) {
      mkdirSync(path.join(proc, String(pid), 'task', tid), { recursive: true });
      writeFileSync(
        path.join(proc, String(pid), 'task', tid, 'children'),
        children.map((child) => `${child} `).join(''),
      );
    }
  }
  processDir(100, 1, 200_000, { 100: [], 101: [200], 102: [] });
  processDir(200, 100, 30_000, { 200: [300, 301] });
  processDir(300, 200, 4_000, { 300: [] });
  processDir(301, 200, undefined, { 301: [] });

  it('adds the descendants found through the children file of every thread', () => {
    assert.equal(linuxTreeRssKB(100, proc), 234_000);
    assert.equal(linuxTreeRssKB(200, proc), 34_000);
  });

  it('samples the root and the descendants it last found between two walks of the tree', () => {
    const sample = linuxTreeSampler(100, proc);
    assert.equal(sample(), 234_000);
    // A child of a child appears: the samples in between see the known ones grow, not it.
    processDir(302, 200, 50_000, { 302: [] });
    writeFileSync(path.join(proc, '200', 'task', '200', 'children'), '300 301 302 ');
    writeFileSync(path.join(proc, '300', 'status'), procStatus(300, 200, 9_000));
    assert.equal(sample(), 239_000);
    assert.equal(sample(), 239_000);
    assert.equal(sample(), 239_000);
    // The next walk finds it.
    assert.equal(sample(), 289_000);
    writeFileSync(path.join(proc, '200', 'task', '200', 'children'), '300 301 ');
    writeFileSync(path.join(proc, '300', 'status'), procStatus(300, 200, 4_000));
    rmSync(path.join(proc, '302'), { recursive: true, force: true });
    assert.equal(sample(), 234_000);
    // The root gone: undefined, as for a walk.
    assert.equal(linuxTreeSampler(999, proc)(), undefined);
  });

  it('is undefined when the root is gone or a zombie', () => {
    assert.equal(linuxTreeRssKB(999, proc), undefined);
    assert.equal(linuxTreeRssKB(301, proc), undefined);
  });
});

describe('watchMemory', () => {
  // The watch's timer does not hold Node open (a tool process does in real use): this one does.
  let keepAlive: NodeJS.Timeout;
  before(() => {
    keepAlive = setInterval(() => undefined, 1000);
  });
  after(() => clearInterval(keepAlive));

  it('reports the first sample above the limit once, then stops sampling', async () => {
    const samples = [100, 400, 1200, 5000, 9000];
    let calls = 0;
    const exceeded = await new Promise<number>((resolve) => {
      watchMemory(42, 1000, resolve, {
        intervalMs: 1,
        sample: (pid) => {
          assert.equal(pid, 42);
          calls++;
          return Promise.resolve(samples.shift());
        },
      });
    });
    assert.equal(exceeded, 1200);
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(calls, 3, 'no sample after the limit was passed');
  });

  it('keeps the peak and stops when told to', async () => {
    let calls = 0;
    const watch = watchMemory(7, 10_000, () => assert.fail('never over the limit'), {
      intervalMs: 1,
      sample: () => Promise.resolve([300, 900, 500][calls++ % 3]),
    });
    while (calls < 4) await new Promise((resolve) => setTimeout(resolve, 2));
    watch.stop();
    const stoppedAt = calls;
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(watch.peakKB, 900);
    assert.ok(calls <= stoppedAt + 1, 'at most the sample in flight finishes');
  });

  it('samples /proc often and ps or tasklist less often', () => {
    assert.ok(sampleIntervalMs('linux') <= 100);
    assert.ok(sampleIntervalMs('darwin') > sampleIntervalMs('linux'));
    assert.ok(sampleIntervalMs('win32') >= sampleIntervalMs('darwin'));
  });
});
