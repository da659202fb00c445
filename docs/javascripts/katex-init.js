// Render the math of every page with the vendored KaTeX (no CDN): $...$ and $$...$$ in the
// tutorials' Markdown cells, \(...\) and \[...\] from pymdownx.arithmatex in the other pages.
document$.subscribe(() => {
  renderMathInElement(document.body, {
    delimiters: [
      { left: "$$", right: "$$", display: true },
      { left: "\\[", right: "\\]", display: true },
      { left: "$", right: "$", display: false },
      { left: "\\(", right: "\\)", display: false },
    ],
    throwOnError: false,
  });
});
