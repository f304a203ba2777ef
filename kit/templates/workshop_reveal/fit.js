/* Every slide fits its 1280x720 page, on the projector and on paper.
 *
 * (A snapshot's open/close boxes are frozen first: see freeze below.)
 *
 * A frozen exercise (a widget's snapshot) can be two or three times taller than a slide.
 * Each slide's content is wrapped once in a `.wk-fit` box; a slide whose content overflows
 * first lays a long snapshot out in two columns, then scales the box down (CSS zoom, which
 * reflows the text to the wider box) just enough to fit. Slides are measured one by one,
 * each made displayable for the moment: reveal.js hides the slides far from the current one.
 * `data-wk-fit` on a slide records the scale used (1 when nothing had to change).
 */
(function () {
    "use strict";
    var SMALLEST = 0.3;

    function leaves() {
        return Array.prototype.filter.call(
            document.querySelectorAll(".reveal .slides section"),
            function (s) { return !s.querySelector("section"); });
    }

    function wrap(section) {
        var box = section.querySelector(":scope > .wk-fit");
        if (box) return box;
        box = document.createElement("div");
        box.className = "wk-fit";
        Array.prototype.slice.call(section.childNodes).forEach(function (node) {
            if (!(node.nodeType === 1 && node.matches("aside.notes"))) box.appendChild(node);
        });
        section.insertBefore(box, section.firstChild);
        return box;
    }

    function over(section) {
        return section.scrollHeight > section.clientHeight + 1 ||
            section.scrollWidth > section.clientWidth + 1;
    }

    function fit(section) {
        var box = wrap(section), scale = 1;
        box.style.zoom = "";
        if (over(section)) {
            box.querySelectorAll(".wk-snapshot").forEach(function (s) {
                s.classList.add("wk-columns");
            });
        }
        if (over(section)) {
            var low = SMALLEST, high = 1;
            for (var i = 0; i < 9; i++) {  // bisection: 9 steps are finer than a pixel
                var mid = (low + high) / 2;
                box.style.zoom = String(mid);
                if (over(section)) high = mid; else low = mid;
            }
            scale = low;
            box.style.zoom = String(scale);
        }
        section.setAttribute("data-wk-fit", scale.toFixed(3));
    }

    function shown(section, run) {
        // Make the slide (and its column) displayable while it is measured.
        var parts = [section];
        if (section.parentElement && section.parentElement.tagName === "SECTION") {
            parts.push(section.parentElement);
        }
        var saved = parts.map(function (p) { return p.style.display; });
        parts.forEach(function (p) { p.style.display = "block"; });
        try { run(); } finally {
            parts.forEach(function (p, i) { p.style.display = saved[i]; });
        }
    }

    function imagesLoaded() {
        return Promise.all(Array.prototype.map.call(document.images, function (img) {
            return img.complete ? null : new Promise(function (done) {
                img.addEventListener("load", done, { once: true });
                img.addEventListener("error", done, { once: true });
            });
        }));
    }

    /* Every declared font face, loaded before anything is measured. The browser loads a
       face only when text first needs it, and slides far from the current one are hidden:
       a slide measured while its bold or italic face was still loading was measured in the
       fallback font, and overflowed by a few pixels once the real face arrived. */
    function fontsLoaded() {
        if (!document.fonts) return Promise.resolve();
        var all = [];
        document.fonts.forEach(function (face) {
            all.push(face.load().catch(function () { return null; }));
        });
        return Promise.all(all).then(function () { return document.fonts.ready; });
    }

    /* A frozen screen has nothing to open or close: a snapshot's <details> becomes plain
       boxes showing what it showed (the summary, and the body only if it was open), so no
       control on a slide pretends to work. */
    function freeze() {
        document.querySelectorAll(".reveal .wk-snapshot details").forEach(function (details) {
            var box = document.createElement("div");
            box.className = details.className;
            Array.prototype.slice.call(details.childNodes).forEach(function (node) {
                var summary = node.nodeType === 1 && node.tagName === "SUMMARY";
                if (summary) {
                    var line = document.createElement("div");
                    line.className = "wk-summary " + node.className;
                    while (node.firstChild) line.appendChild(node.firstChild);
                    box.appendChild(line);
                } else if (details.open) {
                    box.appendChild(node);
                }
            });
            details.replaceWith(box);
        });
    }

    /* Fit every slide; resolves when done. */
    window.wkFitSlides = function () {
        freeze();
        return Promise.all([imagesLoaded(), fontsLoaded()]).then(function () {
            leaves().forEach(function (section) { shown(section, function () { fit(section); }); });
        });
    };
})();
