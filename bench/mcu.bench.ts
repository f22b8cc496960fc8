/**
 * AV MCU benchmarks (`npm run bench -- mcu`), against a real mediasoup worker:
 * - signaling joins per second: connect with a credential, capabilities, join, two transports;
 * - consumers one worker forwards before its CPU saturates: one synthetic ~1 Mbit/s RTP stream
 *   (100 packets/s of 1,200 bytes, sent from Node over plain RTP) fanned out to more and more
 *   plain-RTP consumers until the worker's CPU (getResourceUsage) passes 85 % of a core, or it
 *   no longer keeps up with creating them.
 */
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { types } from 'mediasoup';
import { io } from 'socket.io-client';
import type { Ack } from '../shared/mcu/signaling';
import { workerMissingReason } from '../mcu/media/workerBin';
import { startTestMcu, type TestMcu } from '../mcu/testing/harness';

export interface Figure {
  name: string;
  value: number;
  unit: string;
}

const JOINS = 40;
const STREAM_PPS = 100;
const PACKET_BYTES = 1_200;
const CONSUMER_STEP = 50;
const MAX_CONSUMERS = 4_000;
const SATURATED = 0.85;
const SAMPLE_MS = 1_000;
/** A step whose consumers take longer than this to create means the worker no longer keeps up. */
const STEP_DEADLINE_MS = 3_000;

async function joinsPerSecond(mcu: TestMcu): Promise<number> {
  await mcu.api('POST', '/v1/conferences', { conferenceId: 'bench-joins' });
  const started = performance.now();
  const sockets = [];
  for (let i = 0; i < JOINS; i++) {
    const grant = await mcu.addUser('bench-joins', `user-${i}`);
    const socket = io(grant.signalingUrl, { path: grant.signalingPath, auth: { credential: grant.credential }, transports: ['websocket'], reconnection: false });
    sockets.push(socket);
    const ask = async (event: string, payload: unknown) => {
      const reply = (await socket.timeout(10_000).emitWithAck(event, payload)) as Ack<Record<string, unknown>>;
      if (!reply.ok) throw new Error(`${event}: ${reply.error.code}`);
      return reply.data;
    };
    const { rtpCapabilities } = await ask('getRouterRtpCapabilities', {});
    await ask('join', { rtpCapabilities });
    await ask('createTransport', { direction: 'send' });
    await ask('createTransport', { direction: 'recv' });
  }
  const seconds = (performance.now() - started) / 1000;
  for (const s of sockets) s.close();
  mcu.conferences.end('bench-joins');
  return JOINS / seconds;
}

/**
 * Where consumers send: a UDP socket in a child process that is then stopped (SIGSTOP). The kernel
 * fills its buffer and drops the rest at no cost to anyone; a socket read by this process would
 * make Node the bottleneck, and a closed port would make the kernel answer every packet with ICMP.
 */
async function stoppedUdpSink(): Promise<{ port: number; close(): void }> {
  const child = spawn(process.execPath, ['-e', "const s=require('dgram').createSocket('udp4');s.bind(0,'127.0.0.1',()=>console.log(s.address().port))"], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
  child.kill('SIGSTOP');
  return { port: Number(line), close: () => child.kill('SIGKILL') };
}

/** CPU share of one core the worker used over `ms`. */
async function workerCpu(worker: types.Worker, ms: number): Promise<number> {
  const a = await worker.getResourceUsage();
  const t = performance.now();
  await new Promise((r) => setTimeout(r, ms));
  const b = await worker.getResourceUsage();
  return (b.ru_utime + b.ru_stime - a.ru_utime - a.ru_stime) / (performance.now() - t);
}

async function consumersBeforeSaturation(mcu: TestMcu): Promise<{ consumers: number; cpu: number }> {
  const { room } = await mcu.conferences.create('bench-fanout');
  const { router, entry } = room.media();
  const ingress = await router.createPlainTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1' }, rtcpMux: true, comedia: true });
  const ssrc = 0x1234_5678;
  const producer = await ingress.produce({
    kind: 'audio',
    rtpParameters: { codecs: [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48_000, channels: 2 }], encodings: [{ ssrc }] },
  });
  const sender = createSocket('udp4');
  let seq = 0;
  const packet = Buffer.alloc(PACKET_BYTES);
  const timer = setInterval(() => {
    for (let i = 0; i < STREAM_PPS / 50; i++) {
      seq = (seq + 1) & 0xffff;
      packet[0] = 0x80;
      packet[1] = 100;
      packet.writeUInt16BE(seq, 2);
      packet.writeUInt32BE((seq * 960) >>> 0, 4);
      packet.writeUInt32BE(ssrc, 8);
      sender.send(packet, ingress.tuple.localPort, '127.0.0.1');
    }
  }, 20);
  const sink = await stoppedUdpSink();
  let consumers = 0;
  let cpu = 0;
  try {
    while (consumers < MAX_CONSUMERS) {
      const stepStarted = performance.now();
      const transport = await router.createPlainTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1' }, rtcpMux: true, comedia: false });
      await transport.connect({ ip: '127.0.0.1', port: sink.port });
      for (let i = 0; i < CONSUMER_STEP; i++) await transport.consume({ producerId: producer.id, rtpCapabilities: router.rtpCapabilities });
      consumers += CONSUMER_STEP;
      const stepMs = performance.now() - stepStarted;
      cpu = await workerCpu(entry.worker, SAMPLE_MS);
      if (process.env.BENCH_DEBUG) process.stderr.write(`consumers=${consumers} cpu=${cpu.toFixed(2)} step=${Math.round(stepMs)}ms\n`);
      if (cpu >= SATURATED || stepMs > STEP_DEADLINE_MS) break;
    }
  } finally {
    clearInterval(timer);
    sender.close();
    sink.close();
    mcu.conferences.end('bench-fanout');
  }
  return { consumers, cpu };
}

export async function benchMcu(): Promise<Figure[]> {
  const missing = workerMissingReason();
  if (missing) throw new Error(missing);
  const mcu = await startTestMcu({ workers: 1 });
  try {
    const joins = await joinsPerSecond(mcu);
    const fanout = await consumersBeforeSaturation(mcu);
    return [
      { name: 'signaling joins (connect, join, 2 transports)', value: Math.round(joins * 10) / 10, unit: 'joins/s' },
      {
        name: `consumers of a ${(STREAM_PPS * PACKET_BYTES * 8) / 1e6} Mbit/s stream per worker${fanout.consumers >= MAX_CONSUMERS ? ` (cap reached, ${Math.round(fanout.cpu * 100)}% CPU)` : ' until saturated'}`,
        value: fanout.consumers,
        unit: 'consumers',
      },
      { name: 'forwarded packets per worker at that point', value: fanout.consumers * STREAM_PPS, unit: 'packets/s' },
    ];
  } finally {
    await mcu.close();
  }
}
