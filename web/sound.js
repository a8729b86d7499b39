// The board's beeps, made with WebAudio (no sound files): one soft tone for
// a new ticket, three sharp ones for a late ticket. Browsers let a page
// make sound only after someone taps it, so sound is a switch on the board;
// the choice is remembered, and after a reload the first tap anywhere
// allows it again.

const KEY = 'maitred.board.sound';
const VOLUME = 0.25;
const PATTERNS = {
  placed: [[660, 0, 0.18]],
  late: [[880, 0, 0.14], [880, 0.22, 0.14], [880, 0.44, 0.22]],
};

let context = null;

export function soundWanted() {
  return localStorage.getItem(KEY) === 'on';
}

// Call from a tap or key press: browsers start audio only then. Resolves
// once the browser has decided.
export async function allowSound() {
  if (!soundWanted()) return;
  const Context = window.AudioContext || window.webkitAudioContext;
  if (!Context) return;
  if (!context) context = new Context();
  if (context.state === 'suspended') await context.resume().catch(() => {});
}

export function setSoundWanted(on) {
  localStorage.setItem(KEY, on ? 'on' : 'off');
  return allowSound();
}

// Whether the browser is letting us play right now.
export function soundAllowed() {
  return Boolean(context) && context.state === 'running';
}

export function beep(kind) {
  if (!soundWanted() || !soundAllowed()) return;
  const start = context.currentTime + 0.02;
  for (const [freq, at, length] of PATTERNS[kind] || PATTERNS.placed) {
    const osc = context.createOscillator();
    const gain = context.createGain();
    osc.type = 'square';
    osc.frequency.value = freq;
    gain.gain.setValueAtTime(0.0001, start + at);
    gain.gain.exponentialRampToValueAtTime(VOLUME, start + at + 0.01);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + at + length);
    osc.connect(gain).connect(context.destination);
    osc.start(start + at);
    osc.stop(start + at + length + 0.02);
  }
}
