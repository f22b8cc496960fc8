/**
 * Features register themselves here (cf. Jitsi's ReducerRegistry/MiddlewareRegistry): what they
 * start per session and what they put into the shell's slots. The shell renders slots; it never
 * names a feature, and features never import each other.
 */
import type { ComponentType } from 'react';
import type { SessionUser } from '../../../shared/api/session';
import type { FeatureContext } from './runtime';

/** An entry of the app rail: shows `Panel` in the side column, or opens main view `view`. */
export interface RailItem {
  id: string;
  label: string;
  order: number;
  Icon: ComponentType;
  Panel?: ComponentType;
  /** Opened in the main area when the item is chosen (e.g. the admin page). */
  view?: string;
  /** Small count next to the icon (unread messages, missed calls). */
  Badge?: ComponentType;
  visible?(user: SessionUser): boolean;
}

export interface MainView {
  id: string;
  Component: ComponentType<{ param?: string }>;
  /** The main view covers the side column too (e.g. settings pages). */
  wide?: boolean;
}

export interface Feature {
  id: string;
  /** Runs once per signed-in session; returns its cleanup. */
  start?(ctx: FeatureContext): void | (() => void);
  rail?: RailItem[];
  views?: MainView[];
  /** Always mounted above the shell (call screen, incoming-call toasts). */
  overlays?: ComponentType[];
  /** Items in the header's right-hand area, before the account menu. */
  header?: ComponentType[];
  /** The top of the side column (the "me" card with status and note); the last one registered wins. */
  sideHeader?: ComponentType;
}

const registered: Feature[] = [];

export function registerFeature(feature: Feature): void {
  if (registered.some((f) => f.id === feature.id)) throw new Error(`feature "${feature.id}" registered twice`);
  registered.push(feature);
}

export function registeredFeatures(): readonly Feature[] {
  return registered;
}
