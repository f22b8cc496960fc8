import { useMemo } from 'react';
import type { SessionUser } from '../../shared/api/session';
import { useNav, useRuntime } from '../features/base/react';
import type { RailItem } from '../features/base/registry';
import { AccountMenu, ConnectionBanner, MeCard, type ConnectionState } from '../features/session';
import { Logo } from '../ui';
import { Home } from './Home';
import './app.css';

/** Keep in step with app.css. */
const NARROW = '(max-width: 760px)';

/**
 * The signed-in frame (Teams-like): header, app rail, a side column with the chosen rail item's
 * list, and the main area with the open view. Features fill the slots; the shell names none.
 */
export function AppShell({ user, connection }: { user: SessionUser; connection: ConnectionState }) {
  const runtime = useRuntime();
  const nav = useNav();
  const features = runtime.features;
  const rail = useMemo(() => features.flatMap((f) => f.rail ?? []).filter((r) => !r.visible || r.visible(user))
    .sort((a, b) => a.order - b.order), [features, user]);
  const views = useMemo(() => new Map(features.flatMap((f) => f.views ?? []).map((v) => [v.id, v])), [features]);
  const overlays = useMemo(() => features.flatMap((f) => f.overlays ?? []), [features]);
  const headerItems = useMemo(() => features.flatMap((f) => f.header ?? []), [features]);
  const SideHeader = useMemo(() => features.map((f) => f.sideHeader).filter(Boolean).pop() ?? MeCard, [features]);

  const view = nav.view ? views.get(nav.view.id) : undefined;
  const tab = rail.find((r) => r.id === nav.tab && r.Panel) ?? rail.find((r) => r.Panel);
  const Panel = tab?.Panel;
  const wide = Boolean(view?.wide);
  const activeRail = wide ? rail.find((r) => r.view === nav.view?.id)?.id : tab?.id;

  function choose(item: RailItem) {
    if (item.Panel) {
      runtime.nav.selectTab(item.id);
      // A narrow screen shows the list or the view, not both: choosing a list shows the list.
      if (wide || window.matchMedia(NARROW).matches) runtime.nav.close();
    } else if (item.view) {
      runtime.nav.open(item.view);
    }
  }

  return (
    <div className="shell">
      <header className="shell__header">
        <Logo size={26} className="shell__logo" />
        <div className="shell__header-items">
          {headerItems.map((Item, i) => <Item key={i} />)}
          <AccountMenu user={user} connection={connection} />
        </div>
      </header>
      <ConnectionBanner state={connection} />
      <div className={['shell__body', wide ? 'shell__body--wide' : '', view ? 'shell__body--view-open' : ''].filter(Boolean).join(' ')}>
        <nav className="rail" aria-label="App bar">
          {rail.map((item) => (
            <button key={item.id} type="button" className="rail__item" aria-current={activeRail === item.id ? 'page' : undefined}
              onClick={() => choose(item)} data-testid={`rail-${item.id}`}>
              <span className="rail__icon"><item.Icon />{item.Badge && <span className="rail__badge"><item.Badge /></span>}</span>
              <span className="rail__label">{item.label}</span>
            </button>
          ))}
        </nav>
        {!wide && (
          <aside className="shell__side" aria-label={tab?.label ?? 'Side panel'}>
            <SideHeader />
            {Panel && <div className="shell__panel"><Panel /></div>}
          </aside>
        )}
        <main className="shell__main" id="main">
          {view ? <view.Component key={`${view.id}:${nav.view?.param ?? ''}`} {...(nav.view?.param !== undefined ? { param: nav.view.param } : {})} />
            : <Home user={user} connection={connection} />}
        </main>
      </div>
      {overlays.map((Overlay, i) => <Overlay key={i} />)}
    </div>
  );
}
