// Site search with Pagefind, in the page's language. The query's Arabic words are put in the same
// normalised form as the index's extra terms (rules from the build: pagefind/normalise.json), so a
// word is found with or without its prefixes (و، ال، ب، ل، وال، بال، لل) and hamza, ta marbuta,
// alef maqsura and digit variants. Without JavaScript the search box stays hidden; the topic links
// before it lead to the tag pages.

const SHOWN = 10;

/** The normalising function the rules describe; the same steps as generator/search_text.py. */
export function makeNormaliser(rules) {
  const remove = new RegExp(rules.remove, "gu");
  const arabic = new RegExp(rules.arabic, "u");
  const strip = (word) => {
    for (const group of [rules.conjunctions, rules.prefixes]) {
      const found = group.find(([prefix, rest]) => word.startsWith(prefix) && word.length - prefix.length >= rest);
      if (found) word = word.slice(found[0].length);
    }
    return word;
  };
  return (text) => {
    const mapped = Array.from(text.replace(remove, ""), (ch) => rules.map[ch] ?? ch).join("");
    return mapped.replace(/[\p{L}\p{N}]+/gu, (word) => (arabic.test(word) ? strip(word) : word));
  };
}

function localDigits(count) {
  const digits = document.documentElement.dataset.digits === "arab" ? "arab" : "latn";
  return new Intl.NumberFormat(`${document.documentElement.lang}-u-nu-${digits}`).format(count);
}

function resultItem(data) {
  const item = document.createElement("li");
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = data.meta.title || data.url;
  link.dir = "auto"; // an untranslated event keeps its own language and direction
  item.append(link);
  if (data.meta.summary) {
    const summary = document.createElement("p");
    summary.dir = "auto";
    summary.textContent = data.meta.summary;
    item.append(summary);
  }
  return item;
}

function setUp(box) {
  const form = box.querySelector("form");
  const input = form.querySelector("input");
  const output = box.querySelector(".search-results");
  const bundle = box.dataset.bundle;
  let engine = null;
  const load = () => {
    engine ??= Promise.all([
      import(`${bundle}pagefind.js`),
      fetch(`${bundle}normalise.json`).then((response) => response.json()),
    ]).then(async ([pagefind, rules]) => {
      await pagefind.init();
      return { pagefind, normalise: makeNormaliser(rules) };
    });
    return engine;
  };
  let latest = 0;
  const show = async () => {
    const query = input.value.trim();
    const ticket = ++latest;
    if (!query) {
      output.hidden = true;
      output.replaceChildren();
      return;
    }
    const { pagefind, normalise } = await load();
    const found = await pagefind.search(normalise(query));
    const shown = await Promise.all(found.results.slice(0, SHOWN).map((result) => result.data()));
    if (ticket !== latest) return; // a newer query is on its way
    const count = document.createElement("p");
    count.className = "search-count";
    count.textContent = box.dataset.countTemplate.replace("{count}", localDigits(found.results.length));
    const list = document.createElement("ol");
    list.append(...shown.map(resultItem));
    output.replaceChildren(count, list);
    output.hidden = false;
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    show();
  });
  input.addEventListener("input", show);
  input.addEventListener("focus", load, { once: true });
  form.hidden = false;
}

document.querySelectorAll("[data-search]").forEach(setUp);
