import { useEffect, useRef } from 'react';

/**
 * A <video> (or hidden <audio>) bound to a MediaStream. `srcObject` is set in an effect (React
 * has no attribute for it); play() is retried on new tracks and may be refused by the autoplay
 * policy, in which case the video still starts muted.
 */
export function MediaView({ stream, kind, muted = false, mirrored = false, className, testId, label }: {
  stream: MediaStream | undefined;
  kind: 'video' | 'audio';
  muted?: boolean;
  mirrored?: boolean;
  className?: string;
  testId?: string;
  label?: string;
}) {
  const ref = useRef<HTMLVideoElement & HTMLAudioElement>(null);
  const tracks = stream?.getTracks().map((t) => t.id).join(',');
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    if (element.srcObject !== (stream ?? null)) element.srcObject = stream ?? null;
    if (!stream) return;
    element.play().catch(() => {
      if (kind !== 'video' || element.muted) return;
      element.muted = true;
      void element.play().catch(() => undefined);
    });
  }, [stream, tracks, kind]);
  const classes = [className ?? '', mirrored ? 'media--mirrored' : ''].filter(Boolean).join(' ');
  return kind === 'video'
    ? <video ref={ref} className={classes} autoPlay playsInline muted={muted} data-testid={testId} aria-label={label} />
    : <audio ref={ref} autoPlay muted={muted} data-testid={testId} />;
}
