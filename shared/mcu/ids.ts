/**
 * Identifiers of the AV MCU's world, branded so a conference id cannot be passed where a user id
 * is expected (LiveKit's RoomName / ParticipantIdentity habit).
 */
import { Type, type Static } from '@sinclair/typebox';

export type ConferenceId = string & { readonly __brand: 'ConferenceId' };
export type McuUserId = string & { readonly __brand: 'McuUserId' };

/** Ids travel in URLs and credentials: a conservative character set, bounded length. */
export const ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._:@+-]{0,127}$';
export const ConferenceIdSchema = Type.String({ pattern: ID_PATTERN, description: 'conference id (Focus-assigned)' });
export const UserIdSchema = Type.String({ pattern: ID_PATTERN, description: 'user id within the conference' });

export const asConferenceId = (s: string): ConferenceId => s as ConferenceId;
export const asUserId = (s: string): McuUserId => s as McuUserId;

/** What a user sends: the MCU carries audio, camera video and screen share (its own producer). */
export const MediaKindSchema = Type.Union([Type.Literal('audio'), Type.Literal('video')]);
export type MediaKind = Static<typeof MediaKindSchema>;
export const MediaSourceSchema = Type.Union([Type.Literal('mic'), Type.Literal('camera'), Type.Literal('screen')]);
export type MediaSource = Static<typeof MediaSourceSchema>;
/** The media types an MCU offers and a conference may use (as the Focus names them). */
export const MediaTypeSchema = Type.Union([Type.Literal('audio'), Type.Literal('video'), Type.Literal('screen')]);
export type MediaType = Static<typeof MediaTypeSchema>;
export const ALL_MEDIA_TYPES: readonly MediaType[] = ['audio', 'video', 'screen'];

/** Which media type a producer of this kind and source counts as. */
export function mediaTypeOf(kind: MediaKind, source: MediaSource): MediaType {
  if (source === 'screen') return 'screen';
  return kind === 'audio' ? 'audio' : 'video';
}
