// MIPG page behaviour. The Content-Security-Policy forbids inline scripts and style
// attributes, so what a template cannot say in a class is done here.

// Progress bars: <div class="progress-bar" data-width="40"> → width 40 % (0 to 100).
document.querySelectorAll(".progress-bar[data-width]").forEach((bar) => {
  const value = Math.min(100, Math.max(0, Number(bar.dataset.width) || 0));
  bar.style.width = `${value}%`;
});

// Tables that become cards on a phone (.table-stack, static/css/mipg.css): each body cell
// gets its column's header as data-label, shown before the value. Row headers and columns
// whose header is only for screen readers (the buttons) get none. Rows inserted later (the
// plan tree's branches) are labelled too.
function columnLabels(table) {
  return Array.from(table.querySelectorAll("thead th")).map((th) => {
    const hidden = th.querySelector(".visually-hidden");
    const text = th.textContent.trim();
    return hidden && hidden.textContent.trim() === text ? "" : text;
  });
}

function labelCells(table) {
  const labels = columnLabels(table);
  table.querySelectorAll("tbody tr").forEach((row) => {
    let column = 0;
    Array.from(row.cells).forEach((cell) => {
      const label = labels[column];
      if (cell.tagName === "TD" && label && !cell.dataset.label) {
        cell.dataset.label = label;
      }
      column += cell.colSpan || 1;
    });
  });
}

document.querySelectorAll("table.table-stack").forEach((table) => {
  labelCells(table);
  new MutationObserver(() => labelCells(table)).observe(table, { childList: true, subtree: true });
});
