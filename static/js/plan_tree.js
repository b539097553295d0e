// The plan tree opens a branch in place. Without this script every toggle and pager link
// is an ordinary link to the branch's own page; with it, a click fetches the branch's rows
// (the server answers the X-Tree-Branch header with the rows alone) and inserts them below
// the row they hang from. A second click on an open toggle closes the branch.
(function () {
  "use strict";

  function removeBranch(anchor) {
    document.querySelectorAll('tr[data-parent="' + anchor + '"]').forEach(function (row) {
      if (row.id) {
        removeBranch(row.id);
      }
      row.remove();
    });
  }

  function setOpen(anchor, open) {
    var toggle = document.querySelector('#' + anchor + ' a.tree-toggle');
    if (toggle) {
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    }
  }

  async function openBranch(link, anchor) {
    var response = await fetch(link.href, { headers: { "X-Tree-Branch": "1" } });
    if (!response.ok) {
      window.location.assign(link.href);
      return;
    }
    var template = document.createElement("template");
    template.innerHTML = (await response.text()).trim();
    removeBranch(anchor);
    document.getElementById(anchor).after(template.content);
    setOpen(anchor, true);
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-branch]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) {
      return;
    }
    var anchor = link.dataset.branch;
    var row = document.getElementById(anchor);
    if (!row) {
      return;
    }
    event.preventDefault();
    if (link.classList.contains("tree-toggle") && link.getAttribute("aria-expanded") === "true") {
      if (row.nextElementSibling && row.nextElementSibling.dataset.parent === anchor) {
        removeBranch(anchor);
        setOpen(anchor, false);
        return;
      }
    }
    openBranch(link, anchor).catch(function () {
      window.location.assign(link.href);
    });
  });
})();
