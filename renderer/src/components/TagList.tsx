import { hrefFor } from '../lib/router.ts';

/** Tags as links to the timeline filtered by that tag. */
export function TagList({ tags, label = 'Tags' }: { tags: string[]; label?: string }) {
  if (tags.length === 0) return null;
  return (
    <ul className="tag-list" aria-label={label}>
      {tags.map((tag) => (
        <li key={tag}>
          <a className="tag" href={hrefFor({ name: 'timeline', tag })}>
            #{tag}
          </a>
        </li>
      ))}
    </ul>
  );
}
