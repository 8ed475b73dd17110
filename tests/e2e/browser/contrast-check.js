/**
 * Runs in the page (contrast.spec.ts evaluates this file's text): every visible text below WCAG AA
 * contrast (4.5:1, or 3:1 for large text) against what is behind it, computed colours and
 * translucent layers blended, as "ratio:1 "text" (.classes)". Plain JavaScript because the test
 * projects have no DOM types.
 */
/* global document, getComputedStyle, NodeFilter */
(() => {
  const parse = (c) => {
    const srgb = /color\(srgb ([^)]+)\)/.exec(c);
    const parts = srgb ? srgb[1].split(/[ /]+/).filter(Boolean).map(Number).map((v, i) => (i < 3 ? v * 255 : v)) : /rgba?\(([^)]+)\)/.exec(c)?.[1]?.split(/[ ,/]+/).filter(Boolean).map(Number);
    return parts ? { r: parts[0], g: parts[1], b: parts[2], a: parts[3] ?? 1 } : null;
  };
  const channel = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
  const luminance = (c) => 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c.a > 0) {
        layers.push(c);
        if (c.a >= 0.99) break;
      }
    }
    let base = { r: 255, g: 255, b: 255 };
    for (const l of layers.reverse()) base = { r: l.r * l.a + base.r * (1 - l.a), g: l.g * l.a + base.g * (1 - l.a), b: l.b * l.a + base.b * (1 - l.a) };
    return base;
  };
  const out = [];
  const seen = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement;
    if (!walker.currentNode.textContent?.trim() || !el || seen.has(el)) continue;
    seen.add(el);
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (box.width === 0 || box.height === 0 || style.visibility === 'hidden') continue;
    // Decorative or disabled text is exempt from the criterion.
    if (el.closest('[aria-hidden="true"], .visually-hidden, button:disabled')) continue;
    let opacity = 1;
    for (let e = el; e; e = e.parentElement) opacity *= Number(getComputedStyle(e).opacity);
    const fg = parse(style.color);
    if (!fg) continue;
    const bg = background(el);
    const a = fg.a * opacity;
    const seenFg = { r: fg.r * a + bg.r * (1 - a), g: fg.g * a + bg.g * (1 - a), b: fg.b * a + bg.b * (1 - a) };
    const [l1, l2] = [luminance(seenFg), luminance(bg)];
    const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (Number(style.fontWeight) >= 700 && size >= 18.66);
    if (ratio < (large ? 3 : 4.5)) out.push(`${ratio.toFixed(2)}:1 "${walker.currentNode.textContent.trim().slice(0, 30)}" (.${String(el.className).split(' ').join('.')})`);
  }
  return out;
})();
