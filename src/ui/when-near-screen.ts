// A Svelte attachment for sections whose analysis is worth running only once the user scrolls to
// them (segment movement, the segments cross-tab): calls `onNear` once, when the element comes
// within 200 px of the viewport. Without IntersectionObserver (jsdom in component tests) at once.
export function whenNearScreen(onNear: () => void): (node: HTMLElement) => (() => void) | void {
  return (node) => {
    if (typeof IntersectionObserver === 'undefined') {
      onNear();
      return;
    }
    const observer = new IntersectionObserver(
      (entries) => {
        if (!entries.some((e) => e.isIntersecting)) return;
        onNear();
        observer.disconnect();
      },
      { rootMargin: '200px' },
    );
    observer.observe(node);
    return () => observer.disconnect();
  };
}
