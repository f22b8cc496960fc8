import { useEffect, useRef } from 'react';

/** One video (or audio-only) tile: plays the given tracks; our own preview is muted. */
export function Tile({ label, video, audio, self = false, speaking = false, large = false, testId }: {
  label: string;
  video?: MediaStreamTrack | undefined;
  audio?: MediaStreamTrack | undefined;
  self?: boolean;
  speaking?: boolean;
  large?: boolean;
  testId?: string;
}) {
  const videoRef = useRef<HTMLVideoElement>(null);
  const audioRef = useRef<HTMLAudioElement>(null);
  useEffect(() => {
    const el = videoRef.current;
    if (!el) return;
    el.srcObject = video ? new MediaStream([video]) : null;
    if (video) void el.play().catch(() => undefined);
  }, [video]);
  useEffect(() => {
    const el = audioRef.current;
    if (!el) return;
    el.srcObject = audio && !self ? new MediaStream([audio]) : null;
    if (audio && !self) void el.play().catch(() => undefined);
  }, [audio, self]);
  const classes = ['meeting-tile', speaking ? 'meeting-tile--speaking' : '', large ? 'meeting-tile--large' : ''].filter(Boolean).join(' ');
  return (
    <figure className={classes} data-testid={testId}>
      {video ? <video ref={videoRef} autoPlay playsInline muted /> : <div className="meeting-tile__placeholder" aria-hidden="true">{label.slice(0, 1).toUpperCase()}</div>}
      <audio ref={audioRef} autoPlay />
      <figcaption>{label}</figcaption>
    </figure>
  );
}
