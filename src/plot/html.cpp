#include "plot/html.hpp"

#include <fmt/format.h>
#include <cmath>
#include <cstdint>

#include "plot/svg.hpp"
#include "text/json.hpp"
#include "util/error.hpp"

namespace w2v::plot {

namespace {

std::string json_html(std::string_view s) {
  return text::json_string(s, text::JsonContext::kInsideHtml);
}

// The page: styles, a canvas, a side panel, then the script. DATA is replaced by the JSON.
constexpr const char* kPageHead = R"html(<!DOCTYPE html>
<html lang="ko">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<title>)html";

constexpr const char* kPageBody = R"html(</title>
<style>
html, body { margin: 0; height: 100%; overflow: hidden; background: #ffffff; color: #111111; }
body { font-family: FONTS; }
#map { position: absolute; left: 0; top: 0; width: 100%; height: 100%; cursor: grab; }
#panel { position: absolute; right: 10px; top: 10px; width: 240px; max-height: 90%; overflow: auto;
  background: rgba(255,255,255,0.93); border: 1px solid #bbbbbb; border-radius: 6px;
  padding: 8px 10px; font-size: 14px; }
#panel h1 { font-size: 15px; margin: 0 0 6px 0; }
#search { width: 100%; box-sizing: border-box; font-size: 15px; padding: 3px 5px; }
#result .word { font-size: 18px; font-weight: bold; margin: 8px 0 4px 0; }
#result ol { margin: 0; padding-left: 22px; }
#result li { cursor: pointer; }
#result li .score { color: #777777; font-size: 12px; margin-left: 4px; }
#status { color: #aa3333; font-size: 13px; min-height: 1em; }
#zoom { margin-top: 6px; }
#zoom button { font-size: 14px; min-width: 28px; }
.hint { color: #777777; font-size: 12px; }
</style>
</head>
<body>
<canvas id="map"></canvas>
<div id="panel">
<h1 id="title"></h1>
<input id="search" type="search" placeholder="search a word" autocomplete="off">
<div id="zoom"><button id="zin" title="zoom in">+</button> <button id="zout" title="zoom out">&minus;</button> <button id="zreset" title="fit">fit</button></div>
<div id="status"></div>
<div id="result"></div>
<div class="hint">wheel or +/&minus;: zoom &middot; drag: pan &middot; hover or click a word: its nearest neighbours</div>
</div>
<script id="data" type="application/json">)html";

constexpr const char* kPageScript = R"html(</script>
<script>
"use strict";
(function () {
  const data = JSON.parse(document.getElementById("data").textContent);
  const canvas = document.getElementById("map");
  const ctx = canvas.getContext("2d");
  const result = document.getElementById("result");
  const status = document.getElementById("status");
  const search = document.getElementById("search");
  document.getElementById("title").textContent = data.title;
  document.title = data.title;
  const n = data.words.length;
  const index = new Map();
  data.words.forEach(function (w, i) { if (!index.has(w)) index.set(w, i); });
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  data.points.forEach(function (p) {
    minX = Math.min(minX, p[0]); maxX = Math.max(maxX, p[0]);
    minY = Math.min(minY, p[1]); maxY = Math.max(maxY, p[1]);
  });
  let view = { scale: 1, x: 0, y: 0 };  // screen = (p - centre) * scale + offset
  let selected = -1, hovered = -1;
  function fit() {
    const w = canvas.clientWidth, h = canvas.clientHeight;
    const sx = (maxX - minX) || 1, sy = (maxY - minY) || 1;
    view.scale = Math.min((w - 320) / sx, (h - 80) / sy);
    if (!(view.scale > 0)) view.scale = Math.min(w / sx, h / sy) * 0.8;
    view.x = (w - 260) / 2 - view.scale * (minX + maxX) / 2;
    view.y = h / 2 + view.scale * (minY + maxY) / 2;
  }
  function sx(i) { return view.x + view.scale * data.points[i][0]; }
  function sy(i) { return view.y - view.scale * data.points[i][1]; }
  function resize() {
    const r = window.devicePixelRatio || 1;
    canvas.width = Math.round(canvas.clientWidth * r);
    canvas.height = Math.round(canvas.clientHeight * r);
    ctx.setTransform(r, 0, 0, r, 0, 0);
  }
  const font = "14px " + getComputedStyle(document.body).fontFamily;
  function draw() {
    const w = canvas.clientWidth, h = canvas.clientHeight;
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, w, h);
    const near = new Set();
    const focus = selected >= 0 ? selected : hovered;
    if (focus >= 0) data.neighbours[focus].forEach(function (nb) {
      if (index.has(nb[0])) near.add(index.get(nb[0]));
    });
    for (let i = 0; i < n; ++i) {
      const x = sx(i), y = sy(i);
      if (x < -10 || y < -10 || x > w + 10 || y > h + 10) continue;
      ctx.beginPath();
      ctx.arc(x, y, i === focus ? 6 : 4, 0, 2 * Math.PI);
      ctx.fillStyle = i === focus ? "#d62728" : near.has(i) ? "#ff7f0e" : "#1f77b4";
      ctx.fill();
    }
    // Labels: the focus and its neighbours first, then in file (frequency) order; skip overlaps.
    ctx.font = font;
    ctx.textBaseline = "middle";
    const boxes = [];
    const order = [];
    if (focus >= 0) order.push(focus);
    near.forEach(function (i) { order.push(i); });
    for (let i = 0; i < n; ++i) order.push(i);
    const done = new Set();
    for (const i of order) {
      if (boxes.length >= 400) break;  // enough to read; keeps redrawing fast on big maps
      if (done.has(i)) continue;
      done.add(i);
      const x = sx(i) + 7, y = sy(i);
      if (x > w || y < 0 || y > h || x < -200) continue;
      const tw = ctx.measureText(data.words[i]).width;
      const b = [x - 1, y - 9, x + tw + 1, y + 9];
      if (boxes.some(function (o) { return b[0] < o[2] && o[0] < b[2] && b[1] < o[3] && o[1] < b[3]; })) continue;
      boxes.push(b);
      ctx.fillStyle = i === focus ? "#d62728" : near.has(i) ? "#8a3c00" : "#111111";
      ctx.fillText(data.words[i], x, y);
    }
    ctx.fillStyle = "#777777";
    ctx.font = "12px " + getComputedStyle(document.body).fontFamily;
    ctx.fillText(n + " words · " + data.projection, 10, h - 12);
  }
  function show(i) {
    result.textContent = "";
    if (i < 0) return;
    const head = document.createElement("div");
    head.className = "word";
    head.textContent = data.words[i];
    result.appendChild(head);
    const ol = document.createElement("ol");
    data.neighbours[i].forEach(function (nb) {
      const li = document.createElement("li");
      li.appendChild(document.createTextNode(nb[0]));
      const s = document.createElement("span");
      s.className = "score";
      s.textContent = nb[1].toFixed(3);
      li.appendChild(s);
      li.addEventListener("click", function () { find(nb[0]); });
      ol.appendChild(li);
    });
    result.appendChild(ol);
  }
  function centreOn(i) {
    const w = canvas.clientWidth, h = canvas.clientHeight;
    view.x += (w - 260) / 2 - sx(i);
    view.y += h / 2 - sy(i);
  }
  function find(word) {
    word = word.trim().normalize("NFC");
    if (!word) return false;
    let i = index.has(word) ? index.get(word) : -1;
    if (i < 0) {
      const lw = word.toLowerCase();
      i = data.words.findIndex(function (w) { return w.toLowerCase() === lw; });
    }
    if (i < 0) i = data.words.findIndex(function (w) { return w.startsWith(word); });
    if (i < 0) {
      status.textContent = "not found: " + word;
      return false;
    }
    status.textContent = "";
    selected = i;
    search.value = data.words[i];
    centreOn(i);
    show(i);
    draw();
    return true;
  }
  function pick(mx, my) {
    let best = -1, bd = 100;
    for (let i = 0; i < n; ++i) {
      const dx = sx(i) - mx, dy = sy(i) - my, d = dx * dx + dy * dy;
      if (d < bd) { bd = d; best = i; }
    }
    return best;
  }
  function zoom(f, mx, my) {
    view.x = mx - (mx - view.x) * f;
    view.y = my - (my - view.y) * f;
    view.scale *= f;
    draw();
  }
  let drag = null, moved = false;
  canvas.addEventListener("mousedown", function (e) { drag = [e.clientX, e.clientY]; moved = false; canvas.style.cursor = "grabbing"; });
  window.addEventListener("mouseup", function (e) {
    canvas.style.cursor = "grab";
    if (drag && !moved) {
      const i = pick(e.clientX, e.clientY);
      selected = i;
      show(i);
      draw();
    }
    drag = null;
  });
  canvas.addEventListener("mousemove", function (e) {
    if (drag) {
      const dx = e.clientX - drag[0], dy = e.clientY - drag[1];
      if (Math.abs(dx) + Math.abs(dy) > 2) moved = true;
      view.x += dx; view.y += dy; drag = [e.clientX, e.clientY];
      draw();
      return;
    }
    const i = pick(e.clientX, e.clientY);
    if (i !== hovered) {
      hovered = i;
      if (selected < 0) show(i);
      draw();
    }
  });
  canvas.addEventListener("wheel", function (e) {
    e.preventDefault();
    zoom(Math.exp(-e.deltaY * 0.0015), e.clientX, e.clientY);
  }, { passive: false });
  function centreZoom(f) { zoom(f, (canvas.clientWidth - 260) / 2, canvas.clientHeight / 2); }
  document.getElementById("zin").addEventListener("click", function () { centreZoom(1.5); });
  document.getElementById("zout").addEventListener("click", function () { centreZoom(1 / 1.5); });
  document.getElementById("zreset").addEventListener("click", function () { fit(); draw(); });
  window.addEventListener("keydown", function (e) {
    if (e.target === search) return;
    if (e.key === "+" || e.key === "=") centreZoom(1.5);
    if (e.key === "-") centreZoom(1 / 1.5);
  });
  search.addEventListener("keydown", function (e) { if (e.key === "Enter") find(search.value); });
  search.addEventListener("change", function () { find(search.value); });
  function fromHash() {
    const m = /(?:^#|&)search=([^&]*)/.exec(location.hash);
    if (m) find(decodeURIComponent(m[1]));
  }
  window.addEventListener("hashchange", fromHash);
  window.addEventListener("resize", function () { resize(); draw(); });
  resize();
  fit();
  draw();
  fromHash();
  // For scripts and tests: the view and where a word is on the screen.
  window.w2vMap = {
    view: function () { return { scale: view.scale, x: view.x, y: view.y }; },
    screen: function (word) {
      const i = index.has(word) ? index.get(word) : -1;
      return i < 0 ? null : [sx(i), sy(i)];
    },
    find: find
  };
  document.body.setAttribute("data-ready", "1");
})();
</script>
</body>
</html>
)html";

std::string replace_all(std::string s, std::string_view from, std::string_view to) {
  for (auto p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) {
    s.replace(p, from.size(), to);
  }
  return s;
}

}  // namespace

std::string render_html(const MapData& d) {
  if (d.words.size() != d.points.size() || d.words.size() != d.neighbours.size()) {
    throw Error("map: words, points and neighbours differ in number");
  }
  std::string json = "{\"title\":" + json_html(d.title) +
                     ",\"projection\":" + json_html(d.projection) + ",\"words\":[";
  for (std::size_t i = 0; i < d.words.size(); ++i) {
    if (i > 0) json += ',';
    json += json_html(d.words[i]);
  }
  json += "],\"points\":[";
  for (std::size_t i = 0; i < d.points.size(); ++i) {
    if (i > 0) json += ',';
    const double x = std::isfinite(d.points[i][0]) ? d.points[i][0] : 0.0;
    const double y = std::isfinite(d.points[i][1]) ? d.points[i][1] : 0.0;
    json += fmt::format("[{:.6g},{:.6g}]", x, y);
  }
  json += "],\"neighbours\":[";
  for (std::size_t i = 0; i < d.neighbours.size(); ++i) {
    if (i > 0) json += ',';
    json += '[';
    for (std::size_t k = 0; k < d.neighbours[i].size(); ++k) {
      if (k > 0) json += ',';
      const float s = d.neighbours[i][k].second;
      json += fmt::format("[{},{:.4f}]", json_html(d.neighbours[i][k].first),
                          std::isfinite(s) ? s : 0.0F);
    }
    json += ']';
  }
  json += "]}";
  // The title in <title> is HTML text: the SVG escaper fits (it is XML-safe and HTML-safe).
  std::string page = kPageHead;
  page += xml_escape(d.title);
  page += replace_all(kPageBody, "FONTS", kFontFamily);
  page += json;
  page += kPageScript;
  return page;
}

}  // namespace w2v::plot
