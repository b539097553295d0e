// MIPG page behaviour. The Content-Security-Policy forbids inline scripts and style
// attributes, so what a template cannot say in a class is done here.

// Progress bars: <div class="progress-bar" data-width="40"> → width 40 % (0 to 100).
document.querySelectorAll(".progress-bar[data-width]").forEach((bar) => {
  const value = Math.min(100, Math.max(0, Number(bar.dataset.width) || 0));
  bar.style.width = `${value}%`;
});
