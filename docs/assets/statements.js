// The table of every statement (/statements/, scripts/render/listing.py): sort by a column with
// its heading, narrow the rows as one types. Without JavaScript the table is there as it is,
// newest first; this script only adds the buttons and the filter box. It reads the table's own
// cells and writes text only (never markup), so nothing in a statement's title can run.

(() => {
  const table = document.querySelector("[data-sa-table] table");
  if (!table) return;
  const body = table.tBodies[0];
  const rows = Array.from(body.rows);
  const headers = Array.from(table.tHead.rows[0].cells);

  const key = (row, column, kind) => {
    const cell = row.cells[column];
    if (kind === "date") return cell.dataset.value || "";
    if (kind === "number") return Number(cell.textContent) || 0;
    return cell.textContent.trim().toLocaleLowerCase();
  };

  headers.forEach((header, column) => {
    const kind = header.dataset.sort;
    if (!kind) return;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "sa-statements__sort";
    button.textContent = header.textContent;
    header.textContent = "";
    header.append(button);
    button.addEventListener("click", () => {
      const ascending = header.getAttribute("aria-sort") !== "ascending";
      headers.forEach((other) => other.removeAttribute("aria-sort"));
      header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      const sorted = rows.slice().sort((a, b) => {
        const x = key(a, column, kind);
        const y = key(b, column, kind);
        const order = x < y ? -1 : x > y ? 1 : 0;
        return ascending ? order : -order;
      });
      body.append(...sorted);
    });
  });

  const box = document.getElementById("sa-statements-filter");
  const count = document.querySelector(".sa-statements__count");
  box.parentElement.hidden = false;
  const filter = () => {
    const words = box.value.toLocaleLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    for (const row of rows) {
      const text = row.textContent.toLocaleLowerCase();
      const match = words.every((word) => text.includes(word));
      row.hidden = !match;
      if (match) shown += 1;
    }
    count.textContent = words.length ? `${shown} of ${rows.length} statements` : "";
  };
  box.addEventListener("input", filter);
})();
