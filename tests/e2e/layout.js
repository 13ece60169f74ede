// Measures the open page as a person sees it, in the window it has now. Called with
// `phone` (true on a narrow window); returns [{kind, detail}] for every problem found:
//   page-scrolls-sideways  the page is wider than the window
//   wider-than-its-box     a table, form or card sticks out of the box that holds it (on a
//                          phone a table may be wider than a box that scrolls it)
//   field-without-size     a form field rendered 0 px wide or high, or inside a 0-px box
//   navigation-wraps       the main navigation takes more than one row on a wide window, or
//                          does not fit it
(phone) => {
  const problems = [];
  const style = (el) => getComputedStyle(el);
  const name = (el) => {
    const id = el.id ? `#${el.id}` : "";
    const classes = [...el.classList].slice(0, 3).map((c) => `.${c}`).join("");
    const text = (el.innerText || el.getAttribute("name") || "").trim().split("\n")[0].slice(0, 40);
    return `<${el.tagName.toLowerCase()}${id}${classes}>${text ? ` "${text}"` : ""}`;
  };
  // Rendered: display:none (of itself or an ancestor) leaves no box; hidden on purpose.
  const rendered = (el) => el.getClientRects().length > 0 && style(el).visibility !== "hidden";
  const scrolls = (el) => ["auto", "scroll"].includes(style(el).overflowX);
  const clips = (el) => style(el).overflowX !== "visible" || style(el).overflowY !== "visible";
  // The box that holds an element: the nearest ancestor that makes a box of its own.
  const holderOf = (el) => {
    let holder = el.parentElement;
    while (holder && ["inline", "contents"].includes(style(holder).display)) {
      holder = holder.parentElement;
    }
    return holder;
  };

  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth + 1) {
    // Name the outermost elements that reach past the window's right edge.
    const culprits = [...document.body.querySelectorAll("*")].filter((el) => {
      if (!rendered(el) || el.getBoundingClientRect().right <= root.clientWidth + 1) return false;
      for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
        if (up.getBoundingClientRect().right > root.clientWidth + 1) return false;
      }
      return true;
    });
    problems.push({
      kind: "page-scrolls-sideways",
      detail: `${root.scrollWidth} px of content in a ${root.clientWidth} px window, past the ` +
        `edge: ${culprits.slice(0, 3).map(name).join(", ") || "?"}`,
    });
  }

  for (const el of document.querySelectorAll("table, form, .card")) {
    const holder = holderOf(el);
    if (!holder || holder === document.documentElement || !rendered(el)) continue;
    if (phone && el.tagName === "TABLE" && scrolls(holder)) continue;
    const box = holder.getBoundingClientRect();
    const left = box.left + holder.clientLeft;
    const right = left + holder.clientWidth;
    const own = el.getBoundingClientRect();
    // Negative margins (Bootstrap's .row) reach into the holder's padding by design.
    const margin = style(el);
    const past = Math.max(
      own.right + Math.min(parseFloat(margin.marginRight) || 0, 0) - right,
      left - (own.left - Math.min(parseFloat(margin.marginLeft) || 0, 0)),
    );
    if (past > 1) {
      problems.push({
        kind: "wider-than-its-box",
        detail: `${name(el)} is ${Math.round(own.width)} px wide in the ` +
          `${holder.clientWidth} px of ${name(holder)}`,
      });
    }
  }

  for (const el of document.querySelectorAll("input:not([type=hidden]), select, textarea")) {
    if (!rendered(el)) continue;
    const own = el.getBoundingClientRect();
    let squeezed = own.width < 1 || own.height < 1 ? el : null;
    for (let up = el.parentElement; !squeezed && up; up = up.parentElement) {
      if (clips(up) && (up.clientWidth < 1 || up.clientHeight < 1)) squeezed = up;
    }
    if (squeezed) {
      problems.push({
        kind: "field-without-size",
        detail: `${name(el)} ${el === squeezed ? "is" : `sits in ${name(squeezed)},`} ` +
          `${Math.round(squeezed.getBoundingClientRect().width)}×` +
          `${Math.round(squeezed.getBoundingClientRect().height)} px`,
      });
    }
  }
  const navbar = document.querySelector("header .navbar");
  const bar = navbar && navbar.firstElementChild;
  if (!phone && bar && (navbar.getBoundingClientRect().height > 64 ||
      bar.scrollWidth > bar.clientWidth + 1)) {
    problems.push({
      kind: "navigation-wraps",
      detail: `the navigation is ${Math.round(navbar.getBoundingClientRect().height)} px high ` +
        `and ${bar.scrollWidth} px wide in ${bar.clientWidth} px`,
    });
  }
  return problems;
}
