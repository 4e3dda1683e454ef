// The controls of a hub or series page (scripts/render/templates/narrow.j2): order its lists by
// date and narrow them to one forum or series. Without JavaScript the form stays hidden and the
// lists stay as rendered, in date order. Items carry what they are ordered and narrowed by in
// data attributes (data-rank: place in date order; data-dated; data-forums; data-series); the
// choice is kept in the address (?order=newest&forum=sco) so that a link shows the same. Only
// text is written, never markup.

(() => {
  const form = document.querySelector("form[data-sa-narrow]");
  if (!form) return;
  const lists = Array.from(document.querySelectorAll(".md-content .sa-list")).filter((list) =>
    list.querySelector(":scope > li[data-rank]"),
  );
  if (!lists.length) return;
  const count = form.querySelector("[data-sa-narrow-count]");
  const fields = Array.from(form.elements).filter((field) => field.tagName === "SELECT");
  // Each list's items in the order they were rendered, for "As listed".
  const rendered = lists.map((list) => Array.from(list.querySelectorAll(":scope > li")));
  // A note after each list, shown when narrowing leaves it empty.
  const notes = lists.map((list) => {
    const note = document.createElement("p");
    note.className = "sa-narrow__empty";
    note.textContent = "Nothing in this list matches.";
    note.hidden = true;
    list.after(note);
    return note;
  });

  // A list's heading that names its order ("Sections on X, oldest first") follows the choice.
  const ORDER_WORDS = /, (oldest|newest) first(\s*)$/;
  const headings = lists.map((list) => {
    let heading = list.previousElementSibling;
    while (heading && !/^H[1-6]$/.test(heading.tagName)) heading = heading.previousElementSibling;
    const text = heading && heading.firstChild;
    if (!text || text.nodeType !== Node.TEXT_NODE) return null;
    const words = text.textContent;
    return ORDER_WORDS.test(words) ? { text, words } : null;
  });

  const chosen = () => Object.fromEntries(fields.map((field) => [field.name, field.value]));

  const matches = (item, choice) =>
    (!choice.forum || (item.dataset.forums || "").split(" ").includes(choice.forum)) &&
    (!choice.series || item.dataset.series === choice.series);

  // Oldest or newest first by the statement's place in date order; undated ones last either way.
  const byDate = (newest) => (a, b) => {
    const undated = (a.dataset.dated === "0") - (b.dataset.dated === "0");
    if (undated) return undated;
    const order = Number(a.dataset.rank) - Number(b.dataset.rank);
    return newest ? -order : order;
  };

  const apply = () => {
    const choice = chosen();
    let shown = 0;
    let total = 0;
    lists.forEach((list, i) => {
      const items = rendered[i].slice();
      if (choice.order === "oldest" || choice.order === "newest") {
        items.sort(byDate(choice.order === "newest")); // Array.prototype.sort is stable
      }
      let here = 0;
      items.forEach((item) => {
        item.hidden = !matches(item, choice);
        if (!item.hidden) here += 1;
      });
      list.append(...items);
      const heading = headings[i];
      if (heading) {
        heading.text.textContent = choice.order
          ? heading.words.replace(ORDER_WORDS, `, ${choice.order} first$2`)
          : heading.words;
      }
      list.hidden = here === 0;
      notes[i].hidden = here !== 0;
      shown += here;
      total += items.length;
    });
    const narrowed = choice.forum || choice.series;
    count.textContent = narrowed
      ? `Showing ${shown} of ${total} items on this page.`
      : `Showing all ${total} items on this page${choice.order ? `, ${choice.order} first` : ""}.`;
  };

  const remember = () => {
    const params = new URLSearchParams(window.location.search);
    fields.forEach((field) => {
      if (field.value) params.set(field.name, field.value);
      else params.delete(field.name);
    });
    const query = params.toString();
    const address = `${window.location.pathname}${query ? `?${query}` : ""}${window.location.hash}`;
    window.history.replaceState(window.history.state, "", address);
  };

  // The address's choice, where the page offers it (an unknown value is left at "any").
  const params = new URLSearchParams(window.location.search);
  let asked = false;
  fields.forEach((field) => {
    const wanted = params.get(field.name);
    if (wanted && Array.from(field.options).some((option) => option.value === wanted)) {
      field.value = wanted;
      asked = true;
    }
  });
  form.addEventListener("change", () => {
    apply();
    remember();
  });
  form.addEventListener("submit", (event) => event.preventDefault());
  form.hidden = false;
  if (asked) apply();
})();
