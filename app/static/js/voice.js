// Ons Plan: reading aloud and speaking instead of typing in the child and youth views, with the browser's own speech
// (nothing leaves for a speech service of ours). Without it, or without JavaScript, the buttons stay hidden.
(function () {
  "use strict";
  var synth = window.speechSynthesis, Recognition = window.SpeechRecognition || window.webkitSpeechRecognition;
  var lang = document.documentElement.lang, note = document.getElementById("voice-note"), inDutch = false, waiting;
  var LOCALES = { nl: "nl-NL", fy: "fy-NL", en: "en-GB" };
  function show(selector, yes) { document.querySelectorAll(selector).forEach(function (b) { b.hidden = !yes; }); }
  function voiceFor(code) {
    return synth.getVoices().filter(function (v) { return v.lang.toLowerCase().indexOf(code) === 0; })[0];
  }
  // Read one text: in the page's language; where this device has no voice for it (Frysk, often), say so and offer
  // Dutch; where it has none at all, say that.
  function read(text) {
    var voice = voiceFor(inDutch ? "nl" : lang), said = note && note.querySelector(".voice-note__text");
    if (!voice && note) {
      var dutch = lang !== "nl" && voiceFor("nl");
      waiting = text;
      note.hidden = false;
      said.textContent = dutch ? said.dataset.noVoice : note.dataset.none;
      note.querySelector("[data-use-dutch]").hidden = !dutch;
      return;
    }
    var utterance = new SpeechSynthesisUtterance(text);
    utterance.voice = voice;
    utterance.lang = voice.lang;
    synth.cancel();
    synth.speak(utterance);
  }
  // Speak instead of typing: what is heard is added to the field (the person sees it and can change it).
  function dictate(button) {
    var field = document.getElementById(button.dataset.dictate), listening = new Recognition();
    var label = button.innerHTML;
    listening.lang = LOCALES[lang] || "nl-NL";
    listening.onresult = function (event) {
      field.value = (field.value + " " + event.results[0][0].transcript).trim();
    };
    listening.onend = function () { button.innerHTML = label; button.setAttribute("aria-pressed", "false"); };
    button.textContent = button.dataset.listening;
    button.setAttribute("aria-pressed", "true");
    listening.start();
  }
  show("[data-read]", !!synth);
  show("[data-dictate]", !!Recognition);
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-read], [data-dictate], [data-use-dutch]");
    if (!button) { return; }
    if (button.dataset.read) { read(document.getElementById(button.dataset.read).textContent.trim()); }
    if (button.dataset.dictate) { dictate(button); }
    if (button.hasAttribute("data-use-dutch")) { inDutch = true; note.hidden = true; read(waiting); }
  });
})();
