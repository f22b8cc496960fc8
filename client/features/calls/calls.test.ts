import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { activeCall, endReasonOf, formatDuration, incomingCalls, isInCall, offersVideo, sdpPutsOnHold, type CallView } from './model';

const base: CallView = { id: '1', direction: 'outgoing', remoteUri: 'sip:b@x', remoteName: 'b', video: false, phase: 'dialing', muted: false, cameraOff: false, held: false, remoteHeld: false };

describe('calls model', () => {
  test('hold detection follows RFC 3264 §8.4 (media-level overrides session-level)', () => {
    const sdp = (session: string, ...media: string[]) => ['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 't=0 0', ...(session ? [session] : []), ...media].join('\r\n');
    assert.equal(sdpPutsOnHold(sdp('', 'm=audio 9 UDP/TLS/RTP/SAVPF 111', 'a=sendonly')), true);
    assert.equal(sdpPutsOnHold(sdp('', 'm=audio 9 UDP/TLS/RTP/SAVPF 111', 'a=inactive', 'm=video 9 UDP/TLS/RTP/SAVPF 96', 'a=sendonly')), true);
    assert.equal(sdpPutsOnHold(sdp('', 'm=audio 9 UDP/TLS/RTP/SAVPF 111', 'a=sendonly', 'm=video 9 UDP/TLS/RTP/SAVPF 96', 'a=sendrecv')), false);
    assert.equal(sdpPutsOnHold(sdp('a=sendonly', 'm=audio 9 RTP/AVP 0')), true);
    assert.equal(sdpPutsOnHold(sdp('a=sendonly', 'm=audio 9 RTP/AVP 0', 'a=sendrecv')), false);
    assert.equal(sdpPutsOnHold(sdp('', 'm=audio 9 RTP/AVP 0', 'a=sendrecv', 'm=video 0 RTP/AVP 96', 'a=inactive')), false, 'rejected stream ignored');
  });

  test('video offers and end reasons', () => {
    assert.equal(offersVideo('v=0\r\nm=audio 9 RTP/AVP 0\r\nm=video 9 RTP/AVP 96\r\n'), true);
    assert.equal(offersVideo('v=0\r\nm=audio 9 RTP/AVP 0\r\nm=video 0 RTP/AVP 96\r\n'), false);
    assert.equal(offersVideo(undefined), false);
    assert.equal(endReasonOf(603), 'Call declined');
    assert.equal(endReasonOf(486), 'Busy');
    assert.equal(endReasonOf(480), 'Not available right now');
    assert.equal(endReasonOf(503), 'The call could not be connected');
  });

  test('which call is on screen, which ring, when we are in a call', () => {
    const ringing = { ...base, id: '2', direction: 'incoming' as const, phase: 'incoming' as const };
    const state = { calls: [ringing, { ...base, phase: 'connected' as const }] };
    assert.equal(activeCall(state)?.id, '1');
    assert.deepEqual(incomingCalls(state).map((c) => c.id), ['2']);
    assert.equal(isInCall(state), true);
    assert.equal(isInCall({ calls: [ringing] }), false);
  });

  test('durations', () => {
    assert.equal(formatDuration(0), '0:00');
    assert.equal(formatDuration(65_400), '1:05');
    assert.equal(formatDuration(3_725_000), '1:02:05');
  });
});
