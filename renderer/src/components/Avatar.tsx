import { hueOf, initials } from '../lib/text.ts';

export function Avatar({ name, size = 32 }: { name: string; size?: number }) {
  const hue = hueOf(name);
  return (
    <span
      className="avatar"
      aria-hidden="true"
      style={{ width: size, height: size, fontSize: Math.round(size * 0.4), ['--avatar-hue' as string]: String(hue) }}
    >
      {initials(name)}
    </span>
  );
}
