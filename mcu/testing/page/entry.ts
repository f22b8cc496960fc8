/**
 * The integration-test page: bundled with esbuild and driven by Playwright through
 * `window.mcuTest`. Sends the fake microphone and camera (and, on request, a canvas as a screen
 * share) through the MCU and reports what it receives.
 */
import { MediaClient, type MediaClientOptions } from './mediaClient';

declare global {
  interface Window {
    mcuTest: typeof api;
  }
}

let client: MediaClient | undefined;

/** A moving canvas stands in for getDisplayMedia, which needs a user gesture and a picker. */
function canvasTrack(): MediaStreamTrack {
  const canvas = document.createElement('canvas');
  canvas.width = 640;
  canvas.height = 360;
  const g = canvas.getContext('2d')!;
  let frame = 0;
  setInterval(() => {
    frame += 1;
    g.fillStyle = `hsl(${(frame * 7) % 360} 60% 50%)`;
    g.fillRect(0, 0, canvas.width, canvas.height);
    g.fillStyle = '#fff';
    g.fillText(`screen ${frame}`, 20 + (frame % 500), 180);
  }, 33);
  return canvas.captureStream(30).getVideoTracks()[0]!;
}

const api = {
  /** Connects only (for refusal tests); resolves to the refusal code, or 'connected'. */
  async connect(options: MediaClientOptions): Promise<string> {
    client = new MediaClient(options);
    try {
      await client.connected();
      return 'connected';
    } catch (err) {
      return (err as { code?: string }).code ?? String(err);
    }
  },
  async start(options: MediaClientOptions & { screen?: boolean }): Promise<void> {
    const media = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 640, height: 480, frameRate: 30 } });
    client = new MediaClient(options);
    const tracks: { track: MediaStreamTrack; source: 'mic' | 'camera' | 'screen' }[] = [
      { track: media.getAudioTracks()[0]!, source: 'mic' },
      { track: media.getVideoTracks()[0]!, source: 'camera' },
    ];
    if (options.screen) tracks.push({ track: canvasTrack(), source: 'screen' });
    await client.start(tracks);
  },
  async stats() {
    if (!client) throw new Error('not started');
    return { ...(await client.receiveStats()), generation: client.generation, reconnects: client.reconnects };
  },
  events(): { event: string; payload: unknown }[] {
    return client?.events ?? [];
  },
  close(): void {
    client?.close();
  },
};

window.mcuTest = api;
