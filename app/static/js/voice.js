// Ons Plan: reading aloud and speaking instead of typing in the child and youth views, with the browser's own speech
// (nothing leaves for a speech service of ours). Without it, or without JavaScript, their buttons stay hidden.
(function () {
  "use strict";
  const synth = window.speechSynthesis, Recognition = window.SpeechRecognition || window.webkitSpeechRecognition;
  const lang = document.documentElement.lang, note = document.getElementById("voice-note");
  const LOCALES = { nl: "nl-NL", fy: "fy-NL", en: "en-GB" };
  let inDutch = false, waiting = "";
  const voiceFor = (code) => synth.getVoices().find((v) => v.lang.toLowerCase().startsWith(code));
  // Read one text in the page's language; where this device has no voice for it (Frysk, often), say so and offer
  // Dutch; where it has none at all, say that.
  function read(text) {
    const voice = voiceFor(inDutch ? "nl" : lang);
    if (!voice) {
      const dutch = lang !== "nl" && voiceFor("nl"), said = note.querySelector(".voice-note__text");
      waiting = text;
      note.hidden = false;
      said.textContent = dutch ? said.dataset.noVoice : note.dataset.none;
      note.querySelector("[data-use-dutch]").hidden = !dutch;
      return;
    }
    const utterance = new SpeechSynthesisUtterance(text);
    Object.assign(utterance, { voice, lang: voice.lang });
    synth.cancel();
    synth.speak(utterance);
  }
  // Speak instead of typing: what is heard is added to the field, where the person sees it and can change it.
  function dictate(button) {
    const field = document.getElementById(button.dataset.dictate), listening = new Recognition();
    const label = button.innerHTML;
    listening.lang = LOCALES[lang] || "nl-NL";
    listening.onresult = (event) => { field.value = `${field.value} ${event.results[0][0].transcript}`.trim(); };
    listening.onend = () => { button.innerHTML = label; button.setAttribute("aria-pressed", "false"); };
    button.textContent = button.dataset.listening;
    button.setAttribute("aria-pressed", "true");
    listening.start();
  }
  document.querySelectorAll("[data-read]").forEach((b) => { b.hidden = !synth || !note; });
  document.querySelectorAll("[data-dictate]").forEach((b) => { b.hidden = !Recognition; });
  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-read], [data-dictate], [data-use-dutch]");
    if (button?.dataset.read) { read(document.getElementById(button.dataset.read).textContent.trim()); }
    if (button?.dataset.dictate) { dictate(button); }
    if (button?.hasAttribute("data-use-dutch")) { inDutch = true; note.hidden = true; read(waiting); }
  });
})();
