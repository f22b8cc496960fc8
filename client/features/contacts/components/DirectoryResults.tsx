import { useEffect, useState } from 'react';
import type { DirectoryEntry } from '../../../../shared/contacts';
import { Avatar, Button, Spinner } from '../../../ui';
import { describeApiError } from '../../base/http';
import type { ContactsService } from '../contacts-service';

/** People in the directory matching the search, with Add for those not yet in the list. */
export function DirectoryResults({ query, service, inList, self, onAdd }: {
  query: string;
  service: ContactsService;
  inList: (uri: string) => boolean;
  self: string;
  onAdd: (entry: DirectoryEntry) => void;
}) {
  const [results, setResults] = useState<DirectoryEntry[] | undefined>();
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    const controller = new AbortController();
    setResults(undefined);
    setError(undefined);
    const timer = setTimeout(() => {
      service.search(query, controller.signal).then(setResults, (err: unknown) => {
        if (!controller.signal.aborted) setError(describeApiError(err));
      });
    }, 250);
    return () => { clearTimeout(timer); controller.abort(); };
  }, [query, service]);

  const others = results?.filter((r) => r.uri !== self);
  return (
    <section className="directory" aria-label="Directory search results" aria-busy={!results && !error}>
      <h3 className="directory__title">Directory</h3>
      {error && <p className="directory__empty">{error}</p>}
      {!results && !error && <div className="directory__empty"><Spinner label="Searching the directory" /></div>}
      {others && others.length === 0 && <p className="directory__empty">Nobody in the directory matches “{query}”.</p>}
      <ul className="directory__list">
        {others?.map((entry) => (
          <li key={entry.uri} className="directory__item" data-testid="directory-result" data-uri={entry.uri}>
            <Avatar name={entry.displayName} colourKey={entry.uri} size={32} />
            <span className="contact__text">
              <span className="contact__name">{entry.displayName}</span>
              <span className="contact__status mono">{entry.uri.replace(/^sip:/, '')}</span>
            </span>
            {inList(entry.uri)
              ? <span className="directory__in-list">In contacts</span>
              : <Button onClick={() => onAdd(entry)} aria-label={`Add ${entry.displayName} to contacts`}>Add</Button>}
          </li>
        ))}
      </ul>
    </section>
  );
}
